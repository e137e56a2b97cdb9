export { EtaTemplateRenderer } from './eta-template-renderer';
export type { TemplateSource, TemplateLayer } from './template-sources';
export { templateGroup, parseTemplateName, type ParsedTemplateName, type KindPart } from './template-names';
