export {
  UnsubscribeTokens,
  UnsubscribeTokenError,
  deriveUnsubscribeKey,
  type UnsubscribeClaim,
  type UnsubscribeTokenErrorCode,
} from './unsubscribe-token';
export { SignedUnsubscribeLinks, type UnsubscribeLinkSettings } from './signed-unsubscribe-links';
