/**
 * Follows Baton's master topic for applications: who the primary of each PostgreSQL cluster is
 * now, a JDBC URL for it, change listeners, and a {@link javax.sql.DataSource} that always
 * connects to the current primary and drops connections to an old one.
 *
 * <p>Depends only on the events schema, kafka-clients and slf4j-api. The PostgreSQL JDBC driver
 * is the application's: {@link io.baton.client.MasterDataSource} finds it through {@link
 * java.sql.DriverManager}.
 *
 * <p>Start with {@link io.baton.client.MasterFollower}.
 */
package io.baton.client;
