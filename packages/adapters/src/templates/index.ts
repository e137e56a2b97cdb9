export { EtaTemplateRenderer } from './eta-template-renderer';
export type { TemplateSettings, TemplateLinkSettings, TemplateOverrides } from './template-settings';
export type { TemplateView, DigestView, ItemView } from './template-views';
export { BUILT_IN_TEMPLATES } from './built-in';
export { SHARED_TEMPLATES, NAMING_HELP, parseTemplateName, type KindPart } from './template-names';
