import pino, { type Logger } from 'pino';

/**
 * Structured logs. Personal data never belongs in a log line (log record ids, not names or IINs);
 * the redaction list is a second line of defence for credentials that could reach a log object.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'tirkeu' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'headers.authorization',
          'headers.cookie',
          '*.password',
          '*.secret',
          '*.token',
          '*.totp',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
