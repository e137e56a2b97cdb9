export { EtaTemplateRenderer } from './eta-template-renderer';
