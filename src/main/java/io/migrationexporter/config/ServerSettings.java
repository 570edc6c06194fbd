package io.migrationexporter.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * @param host address to listen on
 * @param port TCP port; 0 picks a free one (tests)
 * @param adminToken bearer token for changing the phase; empty disables changes over HTTP
 * @param defaultScrapeTimeout scrape deadline when the scraper sends no timeout header
 * @param scrapeTimeoutOffset kept from the scraper's timeout so the answer arrives in time
 * @param requestBudget longest a scrape, a status or a gate request waits for refreshes in flight
 *     before answering from the data held, with its age
 * @param webConfigFile TLS and basic auth settings in the exporter-toolkit format (package
 *     {@code web} reads it); empty for plain HTTP without authentication
 */
public record ServerSettings(String host, int port, Optional<Secret> adminToken,
    Duration defaultScrapeTimeout, Duration scrapeTimeoutOffset, Duration requestBudget,
    Optional<Path> webConfigFile) {}
