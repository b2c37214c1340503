package io.chainmesh.common.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Creates the service's PostgreSQL database when it does not exist yet (enabled by
 * {@code chainmesh.platform.database.create-if-missing}), before Flyway first connects. Saves a
 * developer and a fresh CI machine a manual {@code createdb} per service and per test database.
 */
public class DatabaseBootstrap implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(DatabaseBootstrap.class);
    private static final Pattern URL = Pattern.compile("^jdbc:postgresql://([^/]+)/([A-Za-z0-9_]+)(\\?.*)?$");

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
            createIfMissing(hikari.getJdbcUrl(), hikari.getUsername(), hikari.getPassword());
        }
        return bean;
    }

    static void createIfMissing(String jdbcUrl, String user, String password) {
        Matcher m = URL.matcher(jdbcUrl);
        if (!m.matches()) {
            return;
        }
        String database = m.group(2);
        String adminUrl = "jdbc:postgresql://" + m.group(1) + "/postgres" + (m.group(3) == null ? "" : m.group(3));
        try (Connection c = DriverManager.getConnection(adminUrl, user, password)) {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE \"" + database + "\"");
                log.info("Created database {}", database);
            }
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                return; // created concurrently by another instance
            }
            log.warn("Could not create database {}: {}", database, e.getMessage());
        }
    }
}
