// Hosts one Lambda bundle the way the Node.js runtime does: import it once (the cold start), then
// call its handler (the export named by the second argument, `handler` by default) once per event.
// The parent sends `{ id, event }` over IPC and gets `{ id, result }`.
const handler = (await import(process.argv[2]))[process.argv[3] ?? 'handler'];

process.on('message', async ({ id, event }) => {
  try {
    process.send({ id, result: await handler(event, { functionName: 'local', awsRequestId: String(id) }) });
  } catch (error) {
    process.send({ id, error: String(error?.stack ?? error) });
  }
});
process.send({ ready: true });
