package io.vectorsync.store;

import org.axonframework.common.jdbc.JdbcException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@link LogPositions} read exactly from the events table, {@code DomainEventEntry}, on the thread's transactional
 * connection when there is one ({@link JdbcTransactionManager#connectionProvider()}). {@link EventStoreDatabase}
 * answers through it.
 */
final class EventPositions implements LogPositions {

    /** Aggregates per query when reading many events' positions at once. */
    private static final int AGGREGATES_PER_QUERY = 500;

    private final JdbcTransactionManager transactionManager;

    EventPositions(JdbcTransactionManager transactionManager) {
        this.transactionManager = transactionManager;
    }

    @Override
    public OptionalLong position(String aggregateId, long sequenceNumber) {
        try (Connection connection = transactionManager.connectionProvider().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT globalIndex FROM DomainEventEntry WHERE aggregateIdentifier = ? AND sequenceNumber = ?")) {
            statement.setString(1, aggregateId);
            statement.setLong(2, sequenceNumber);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new JdbcException("Cannot read the position of " + aggregateId + "#" + sequenceNumber, e);
        }
    }

    @Override
    public Map<Long, Long> positions(String aggregateId) {
        try (Connection connection = transactionManager.connectionProvider().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT sequenceNumber, globalIndex FROM DomainEventEntry WHERE aggregateIdentifier = ?")) {
            statement.setString(1, aggregateId);
            Map<Long, Long> positions = new HashMap<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    positions.put(rs.getLong(1), rs.getLong(2));
                }
            }
            return positions;
        } catch (SQLException e) {
            throw new JdbcException("Cannot read the positions of " + aggregateId, e);
        }
    }

    /** One query per {@value #AGGREGATES_PER_QUERY} aggregates. */
    @Override
    public Map<Map.Entry<String, Long>, Long> positions(List<Map.Entry<String, Long>> events) {
        Map<Map.Entry<String, Long>, Long> found = new HashMap<>();
        List<String> aggregates = events.stream().map(Map.Entry::getKey).distinct().toList();
        Set<Map.Entry<String, Long>> wanted = new HashSet<>(events);
        for (int from = 0; from < aggregates.size(); from += AGGREGATES_PER_QUERY) {
            List<String> slice = aggregates.subList(from, Math.min(aggregates.size(), from + AGGREGATES_PER_QUERY));
            String sql = "SELECT aggregateIdentifier, sequenceNumber, globalIndex FROM DomainEventEntry "
                    + "WHERE aggregateIdentifier IN (" + String.join(",", Collections.nCopies(slice.size(), "?"))
                    + ")";
            try (Connection connection = transactionManager.connectionProvider().getConnection();
                 PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < slice.size(); i++) {
                    statement.setString(i + 1, slice.get(i));
                }
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        Map.Entry<String, Long> event = Map.entry(rs.getString(1), rs.getLong(2));
                        if (wanted.contains(event)) {
                            found.put(event, rs.getLong(3));
                        }
                    }
                }
            } catch (SQLException e) {
                throw new JdbcException("Cannot read the positions of " + slice.size() + " documents' events", e);
            }
        }
        return found;
    }

    @Override
    public long headPosition() {
        try (Connection connection = transactionManager.connectionProvider().getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT MAX(globalIndex) FROM DomainEventEntry");
             ResultSet rs = statement.executeQuery()) {
            long head = rs.next() ? rs.getLong(1) : -1;
            return rs.wasNull() ? -1 : head;
        } catch (SQLException e) {
            throw new JdbcException("Cannot read the head of the event log", e);
        }
    }

    @Override
    public Optional<Instant> timestampAt(long position) {
        try (Connection connection = transactionManager.connectionProvider().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT timeStamp FROM DomainEventEntry WHERE globalIndex = ?")) {
            statement.setLong(1, position);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(Instant.parse(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new JdbcException("Cannot read the time of the event at " + position, e);
        }
    }
}
