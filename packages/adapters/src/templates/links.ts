import { isLinkPath, MailroomError } from '@mailroom/domain';

/**
 * Builds absolute links on the configured base URL. `new URL(path, base)` would drop the base's path prefix
 * (`https://lb.example.com/idm/` + `/queries/42` → `/queries/42`), so the path is appended to the prefix instead.
 */
export class LinkBuilder {
  private readonly prefix: string;

  constructor(private readonly baseUrl: URL) {
    this.prefix = baseUrl.href.replace(/\/+$/, '');
  }

  /**
   * `/queries/42` → `https://lb.example.com/idm/queries/42`. Throws `TEMPLATE.LINK` for anything but a path, and for
   * a path with `.` or `..` segments: a link never leaves the base URL, its path prefix included.
   */
  to(path: unknown): string {
    if (!isLinkPath(path)) {
      throw new MailroomError(
        'TEMPLATE.LINK',
        `A template asked for a link to ${JSON.stringify(path)}; links take a path starting with "/" such as "/queries/42" and are built on links.baseUrl.`,
      );
    }
    const url = new URL(this.prefix + path);
    // Dot segments are refused above; this holds the promise whatever the parser makes of the path.
    if (!url.href.startsWith(`${this.prefix}/`)) {
      throw new MailroomError(
        'TEMPLATE.LINK',
        `The link path ${JSON.stringify(path)} leaves links.baseUrl; give a path inside the application.`,
      );
    }
    return url.href;
  }
}

export { isLinkPath };
