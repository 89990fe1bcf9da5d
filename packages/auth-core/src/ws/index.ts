export { authenticateUpgrade, rejectUpgrade, selectProtocol } from './authenticate-upgrade.js';
export { onTokenExpiry, SESSION_CLOSE_CODE } from './session-expiry.js';
