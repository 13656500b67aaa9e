using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PassTrack.Edge.Store;

/// <summary>
/// Every connection to the store runs with full durability: a committed transaction survives power loss. WAL lets
/// readers run beside the one writer; the busy timeout makes writers wait for each other instead of failing.
/// </summary>
public static class SqlitePragmas
{
    public const string PerConnection = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";

    public static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        DefaultTimeout = 30,
        Pooling = true,
    }.ToString();

    /// <summary>WAL is a property of the database file: set once, it stays.</summary>
    public static void EnableWal(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        var mode = command.ExecuteScalar() as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The store could not switch to WAL (journal mode is '{mode}').");
        }
    }

    /// <summary>
    /// The writer's own connection: a larger page cache (the event log's indexes stay in memory) and no automatic
    /// checkpoints, which the <see cref="Checkpointer"/> runs beside it instead.
    /// </summary>
    public static void ApplyToWriter(SqliteConnection connection)
    {
        Apply(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA cache_size=-8192; PRAGMA wal_autocheckpoint=0; PRAGMA temp_store=MEMORY;";
        command.ExecuteNonQuery();
    }

    public static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = PerConnection;
        command.ExecuteNonQuery();
    }
}

/// <summary>Applies <see cref="SqlitePragmas"/> to every connection EF Core opens.</summary>
public sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => SqlitePragmas.Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = SqlitePragmas.PerConnection;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
