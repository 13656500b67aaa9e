using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using PassTrack.Edge.Passes;

namespace PassTrack.Edge.Store;

/// <summary>
/// Copies the write-ahead log back into the database file on its own connection, twice a second. The writer's
/// connection has automatic checkpoints turned off, so a commit never waits for that copy and its fsync; the writer
/// only finishes the little that is left every couple of seconds, after answering. A passive checkpoint never blocks
/// the writer or readers.
/// </summary>
public sealed partial class Checkpointer(BuildingWriter writer, IOptions<EdgeOptions> options, TimeProvider time, ILogger<Checkpointer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the writer itself finishes a checkpoint, which lets the log start over.</summary>
    public static readonly TimeSpan WriterInterval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await writer.Ready.WaitAsync(stoppingToken);
        await using var connection = new SqliteConnection(SqlitePragmas.ConnectionString(options.Value.DataPath));
        await connection.OpenAsync(stoppingToken);
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await checkpoint.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (SqliteException ex)
                {
                    // The log keeps growing until the next try succeeds; nothing committed is at risk.
                    CheckpointFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // On the way out, fold the whole log in so the next start reads a compact file.
        try
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            checkpoint.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            CheckpointFailed(logger, ex);
        }
    }

    [LoggerMessage(20, LogLevel.Warning, "A write-ahead log checkpoint failed")]
    private static partial void CheckpointFailed(ILogger logger, Exception exception);
}
