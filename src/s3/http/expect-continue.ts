import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * `Expect: 100-continue`: the client holds its body back until the server says `100 Continue`.
 * Node says it as soon as the headers arrive, before anything is known about the request; S3
 * says it only once the request is authenticated and authorised, so that an unauthorised upload
 * is refused (403) without its body crossing the network.
 *
 * Here such a request goes through the usual pipeline, and `100 Continue` is sent the first time
 * anything asks for body bytes: an operation that starts streaming its payload, the IAM Query
 * API reading its form. An answer given before that closes the connection after it: the client
 * never sent the body, and the connection must not carry on as if it had.
 */
export function continueWhenBodyIsRead(server: Server): void {
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    let held = true;
    const read = req._read.bind(req);
    req._read = (size: number) => {
      if (held) {
        held = false;
        if (!res.headersSent) res.writeContinue();
      }
      read(size);
    };
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    res.writeHead = ((...args: unknown[]) => {
      if (held) res.setHeader('Connection', 'close');
      return writeHead(...args);
    }) as ServerResponse['writeHead'];
    server.emit('request', req, res);
  });
}
