export { diagnoseSmtp } from './diagnose-smtp';
export type { DiagnosisStep } from './diagnosis-step';
export type { SettingNames } from './setting-names';
