package io.migrationexporter.source.tcp;

import java.time.Duration;

/** A TCP check as configured; also its source's definition. */
record TcpProbe(String check, String app, String host, int port, Duration timeout) {}
