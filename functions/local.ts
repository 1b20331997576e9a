// `npm start`: the service on this machine, over the embedded store (README "Quick start").
import { ConfigError, cityConfig, loadConfig } from '../shared/config';
import { startLocalServer } from '../shared/local/server';

// Node 20 is supported here; the SDK's notice about future releases is not for end users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

try {
  const config = loadConfig(process.env);
  const server = await startLocalServer(config, { log: (line) => console.log(line) });
  console.log(`\nparking finder is running at ${server.url}`);
  console.log(`  API docs:  ${server.docsUrl}`);
  const { lat, lon } = cityConfig(config).centre;
  console.log(`  try:       curl '${server.url}/v1/lots/nearby?lat=${lat}&lon=${lon}&radius=1500'`);
  console.log('press Ctrl+C to stop');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: shutting down`);
    // README "Limits" (Shutdown): SIGTERM ends the process within 5 seconds, whatever is in flight.
    setTimeout(() => process.exit(1), 4500).unref();
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
