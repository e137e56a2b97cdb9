// What the app needs to describe an OAuth2 setup; the token sources themselves are built by the SMTP sender.
export { EXCHANGE_SCOPE, knownResource, resourceOfScope } from './exchange-resource';
export { isEntraV2TokenUrl } from './microsoft-token-url';
