using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace PassTrack.LoadTool.Baseline;

/// <summary>A message to keep, and what to do once it is durable.</summary>
public sealed record Received(string ClientId, string Topic, byte[] Payload, byte[] Reply, Func<Task> AfterCommit);

/// <summary>
/// The baseline's store: every received message is one row in SQLite (WAL, synchronous=FULL), written by one loop
/// with group commit: whatever arrives while a transaction commits goes into the next one. Only after the commit
/// are the callers' replies sent.
/// </summary>
public sealed class GroupCommitStore : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private readonly Channel<Received> _inbox = Channel.CreateUnbounded<Received>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly Task _loop;
    private long _batches;
    private long _rows;

    public GroupCommitStore(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        _connection.Open();
        using (var setup = _connection.CreateCommand())
        {
            setup.CommandText = """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=FULL;
                CREATE TABLE IF NOT EXISTS Messages (
                    Id INTEGER PRIMARY KEY,
                    ClientId TEXT NOT NULL,
                    Topic TEXT NOT NULL,
                    Payload BLOB NOT NULL,
                    Reply BLOB NOT NULL,
                    ReceivedAtUnixMs INTEGER NOT NULL);
                """;
            setup.ExecuteNonQuery();
        }
        _insert = _connection.CreateCommand();
        _insert.CommandText = "INSERT INTO Messages (ClientId, Topic, Payload, Reply, ReceivedAtUnixMs) VALUES ($client, $topic, $payload, $reply, $at)";
        foreach (var name in new[] { "$client", "$topic", "$payload", "$reply", "$at" })
        {
            _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        _loop = Task.Run(RunAsync);
    }

    public long Batches => Interlocked.Read(ref _batches);

    public long Rows => Interlocked.Read(ref _rows);

    private long _commitTicks;
    private long _replyTicks;

    /// <summary>Time spent committing, and publishing the replies after the commits, so far.</summary>
    public (TimeSpan Commit, TimeSpan Reply) Spent => (TimeSpan.FromSeconds(Interlocked.Read(ref _commitTicks) / (double)System.Diagnostics.Stopwatch.Frequency), TimeSpan.FromSeconds(Interlocked.Read(ref _replyTicks) / (double)System.Diagnostics.Stopwatch.Frequency));

    public bool Add(Received message) => _inbox.Writer.TryWrite(message);

    private async Task RunAsync()
    {
        var batch = new List<Received>(MaxBatch);
        while (await _inbox.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _inbox.Reader.TryRead(out var message))
            {
                batch.Add(message);
            }
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            Commit(batch);
            var committed = System.Diagnostics.Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _rows, batch.Count);
            var replies = new Task[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                replies[i] = batch[i].AfterCommit();
            }
            await Task.WhenAll(replies);
            Interlocked.Add(ref _commitTicks, committed - started);
            Interlocked.Add(ref _replyTicks, System.Diagnostics.Stopwatch.GetTimestamp() - committed);
            batch.Clear();
        }
    }

    private void Commit(List<Received> batch)
    {
        var at = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        using var transaction = _connection.BeginTransaction();
        _insert.Transaction = transaction;
        foreach (var message in batch)
        {
            var p = _insert.Parameters;
            p[0].Value = message.ClientId;
            p[1].Value = message.Topic;
            p[2].Value = message.Payload;
            p[3].Value = message.Reply;
            p[4].Value = at;
            _insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    public async ValueTask DisposeAsync()
    {
        _inbox.Writer.TryComplete();
        await _loop;
        _insert.Dispose();
        await _connection.DisposeAsync();
    }
}
