using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PassTrack.Edge.Store;

/// <summary>
/// One prepared statement on the writer's own connection, bound by position and run straight through SQLite. The
/// writer's inserts are the hot path: ADO.NET's per-execution work (finding each parameter by name, boxing, type
/// dispatch) cost more than SQLite's own insert. It runs inside the connection's open transaction like any command.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(_statement, index));
            return;
        }
        // Ids are short: encode them on the stack rather than into a new array per bind, as the string overload does.
        // An empty span would bind NULL (no pointer), so an empty string keeps the string overload.
        if (value.Length is > 0 and <= 128)
        {
            Span<byte> utf8 = stackalloc byte[128 * 3];
            var length = System.Text.Encoding.UTF8.GetBytes(value, utf8);
            Check(raw.sqlite3_bind_text(_statement, index, utf8[..length]));
            return;
        }
        Check(raw.sqlite3_bind_text(_statement, index, value));
    }

    public void Bind(int index, long? value) =>
        Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));

    public void Bind(int index, ReadOnlySpan<byte> value) => Check(raw.sqlite3_bind_blob(_statement, index, value));

    /// <summary>Binds UTF-8 text as it is (never empty: an empty span binds NULL): no string, no conversion. SQLite copies it.</summary>
    public void BindText(int index, ReadOnlySpan<byte> utf8) => Check(raw.sqlite3_bind_text(_statement, index, utf8));

    /// <summary>Runs the statement to completion and readies it for the next use, whatever happened.</summary>
    public void Execute()
    {
        var result = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (result != raw.SQLITE_DONE)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result);
        }
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result);
        }
    }

    public void Dispose() => _statement.Dispose();
}
