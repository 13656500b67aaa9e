using Microsoft.Data.Sqlite;

namespace PassTrack.Kiosk.Link;

/// <summary>A request the kiosk owes the edge: written before it is sent, deleted only when the edge has answered it.</summary>
public sealed record QueuedRequest(long Position, string ScanId, RequestKind Kind, byte[] Payload, DateTimeOffset MadeAt);

public enum RequestKind
{
    Scan,
    Choose,
    /// <summary>An action by a staff member at the kiosk: like a choice, only worth sending while they stand there.</summary>
    Staff,
}

/// <summary>
/// The kiosk's durable queue: SQLite in WAL mode with <c>synchronous=FULL</c>, so an added request survives a power
/// cut the moment <see cref="Add"/> returns. Requests leave it in the order they came, and only when acknowledged.
/// Scan ids are numbered from the same file, so they stay unique across restarts.
/// </summary>
public sealed class ScanOutbox : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    public ScanOutbox(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;");
        Execute("""
            CREATE TABLE IF NOT EXISTS Pending (
                Position INTEGER PRIMARY KEY,
                ScanId TEXT NOT NULL UNIQUE,
                Kind INTEGER NOT NULL,
                Payload BLOB NOT NULL,
                MadeAtUnixMs INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS Counter (Id INTEGER PRIMARY KEY CHECK (Id = 1), Instance TEXT NOT NULL, Next INTEGER NOT NULL);
            """);
        using (var init = _connection.CreateCommand())
        {
            // A queue file made afresh (a new card, a wiped partition) numbers its scans under a new random prefix,
            // so it can never reuse an id the edge has already answered.
            init.CommandText = "INSERT OR IGNORE INTO Counter (Id, Instance, Next) VALUES (1, $instance, 1)";
            init.Parameters.AddWithValue("$instance", Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)));
            init.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Gives the request a new scan id (a durable counter under the queue file's own prefix, so unique to this kiosk
    /// for good) and writes it, committed and flushed, in one transaction; returns its place in line.
    /// </summary>
    public QueuedRequest Add(RequestKind kind, DateTimeOffset madeAt, Func<string, byte[]> payloadFor)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            string scanId;
            using (var next = _connection.CreateCommand())
            {
                next.Transaction = transaction;
                next.CommandText = "UPDATE Counter SET Next = Next + 1 WHERE Id = 1 RETURNING Instance, Next - 1";
                using var row = next.ExecuteReader();
                row.Read();
                scanId = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{row.GetString(0)}-{row.GetInt64(1)}");
            }
            var payload = payloadFor(scanId);
            using var insert = _connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO Pending (ScanId, Kind, Payload, MadeAtUnixMs) VALUES ($id, $kind, $payload, $at) RETURNING Position";
            insert.Parameters.AddWithValue("$id", scanId);
            insert.Parameters.AddWithValue("$kind", (int)kind);
            insert.Parameters.AddWithValue("$payload", payload);
            insert.Parameters.AddWithValue("$at", madeAt.ToUnixTimeMilliseconds());
            var position = (long)insert.ExecuteScalar()!;
            transaction.Commit();
            return new QueuedRequest(position, scanId, kind, payload, madeAt);
        }
    }

    /// <summary>The edge answered: the request is done. Unknown ids are ignored (answered twice).</summary>
    public bool Remove(string scanId)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM Pending WHERE ScanId = $id";
            command.Parameters.AddWithValue("$id", scanId);
            return command.ExecuteNonQuery() > 0;
        }
    }

    /// <summary>What is still owed, oldest first.</summary>
    public IReadOnlyList<QueuedRequest> Pending(int max = int.MaxValue)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT Position, ScanId, Kind, Payload, MadeAtUnixMs FROM Pending ORDER BY Position LIMIT $max";
            command.Parameters.AddWithValue("$max", max);
            using var rows = command.ExecuteReader();
            var list = new List<QueuedRequest>();
            while (rows.Read())
            {
                list.Add(new QueuedRequest(rows.GetInt64(0), rows.GetString(1), (RequestKind)rows.GetInt32(2), (byte[])rows.GetValue(3), DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(4))));
            }
            return list;
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "SELECT COUNT(*) FROM Pending";
                return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>Whether the file is sound (<c>PRAGMA integrity_check</c>).</summary>
    public bool IntegrityOk()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            return string.Equals(command.ExecuteScalar() as string, "ok", StringComparison.Ordinal);
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();
}
