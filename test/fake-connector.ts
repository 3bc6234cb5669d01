// The fake Bot Connector lives beside the Teams adapter (like fake-slack.ts), so that the soak
// and fuzz runs in bench/ can use it too.
export { startFakeConnector, teamsActivity, type ConnectorPost, type FakeConnector } from '../adapters/teams/fake-connector.js';
