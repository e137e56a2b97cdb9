import { EtaTemplateRenderer } from '@mailroom/adapters';
import { templateRendererContract } from './template-renderer.contract';

templateRendererContract('EtaTemplateRenderer', (baseUrl) => EtaTemplateRenderer.create({ links: { baseUrl } }));
