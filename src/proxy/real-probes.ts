// The health library's probe port on real sockets. `tcp`: a completed handshake passes (HAProxy's plain `check`),
// so a stopped or hung application still passes, as in the real black hole. `http`/`deep`: `GET <path>` and the
// status line decides (HAProxy `option httpchk`, NGINX Plus `health_check`). Times are measured from the start;
// the checker applies `timeoutUs` and aborts a probe that has not answered by then.
import net from "node:net";
import type { Clock } from "../engine/ports.js";
import type { ProbePort } from "../health/checker-ports.js";
import type { ProbeKind, ProbeResponse } from "../health/probe.js";

export interface ProbeTarget {
  readonly host: string;
  readonly port: number;
}

/** Read at most this much of a check's answer looking for the status line. */
const MAX_STATUS_BYTES = 4096;

export function realProbePort(targetOf: (backend: number) => ProbeTarget, kind: ProbeKind, path: string, clock: Clock): ProbePort {
  return {
    probe(backend, token, done) {
      const target = targetOf(backend);
      const startUs = clock.nowUs();
      let finished = false;
      let connectUs = -1;
      let received = "";
      const socket = net.connect({ host: target.host, port: target.port });
      const finish = (response: ProbeResponse) => {
        if (finished) return;
        finished = true;
        socket.destroy();
        done(token, response);
      };
      socket.on("connect", () => {
        connectUs = clock.nowUs() - startUs;
        if (kind === "tcp") {
          finish({ connect: { kind: "accepted", afterUs: connectUs } });
          return;
        }
        socket.write(`GET ${path} HTTP/1.1\r\nHost: ${target.host}:${target.port}\r\nUser-Agent: lbsim-health-check\r\nConnection: close\r\n\r\n`);
      });
      socket.on("data", (chunk: Buffer) => {
        received += chunk.toString("latin1");
        const line = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(received);
        if (line) finish({ connect: { kind: "accepted", afterUs: connectUs }, http: { status: Number(line[1]), afterUs: clock.nowUs() - startUs } });
        else if (received.length > MAX_STATUS_BYTES || received.includes("\r\n")) finish({ connect: { kind: "accepted", afterUs: connectUs }, http: { status: 0, afterUs: clock.nowUs() - startUs } });
      });
      socket.on("error", (error: NodeJS.ErrnoException) => {
        if (connectUs < 0 && error.code === "ECONNREFUSED") finish({ connect: { kind: "refused", afterUs: clock.nowUs() - startUs } });
        else if (connectUs < 0) finish({ connect: { kind: "no-answer" } });
        else finish({ connect: { kind: "accepted", afterUs: connectUs } }); // reset before an answer: no answer came
      });
      // Closed after the handshake without a status line: the application gave no answer.
      socket.on("close", () => finish(connectUs < 0 ? { connect: { kind: "no-answer" } } : { connect: { kind: "accepted", afterUs: connectUs } }));
      return () => {
        finished = true;
        socket.destroy();
      };
    },
  };
}
