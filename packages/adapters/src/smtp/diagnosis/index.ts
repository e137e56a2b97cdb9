export { diagnoseSmtp, type DiagnoseSmtpOptions } from './diagnose-smtp';
export { DIAGNOSIS_STEPS, diagnosisOk, type DiagnosisStep, type DiagnosisStepName } from './diagnosis-step';
export { SMTP_SETTING_NAMES, type SettingNames } from './setting-names';
