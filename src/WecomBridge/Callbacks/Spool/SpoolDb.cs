using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace WecomBridge.Callbacks.Spool;

/// <summary>
/// The spool's SQLite connection, used by one thread of its own: every statement (and its fsync) blocks that
/// thread, never a thread-pool thread, so that a slow disk under a burst of callbacks cannot starve the pool
/// (blocked pool threads make the runtime add threads, without bound). Work queued while a commit is flushed goes
/// in the next transaction together (group commit): one fsync for all appends that were waiting. Each piece of work
/// runs under a savepoint, so a failing one fails alone; a failed commit fails the whole group.
/// </summary>
internal sealed class SpoolDb : IDisposable
{
    private const int MaxGroup = 1024;
    private readonly SqliteConnection _db;
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _thread;
    private long _commits;

    public SpoolDb(SqliteConnection db)
    {
        _db = db;
        _thread = new Thread(Run) { IsBackground = true, Name = "spool db" };
        _thread.Start();
    }

    /// <summary>Transactions committed so far (each one fsync in synchronous=FULL).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Runs <paramref name="work"/> on the spool's thread, in the next transaction; completes once committed.</summary>
    public Task<T> RunAsync<T>(Func<SqliteConnection, T> work)
    {
        var item = new Work<T>(work);
        if (!_queue.Writer.TryWrite(item)) return Task.FromException<T>(new ObjectDisposedException(nameof(SpoolDb)));
        return item.Task;
    }

    private void Run()
    {
        var group = new List<Work>(MaxGroup);
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var item)) group.Add(item);
            RunGroup(group);
            group.Clear();
        }
    }

    private void RunGroup(List<Work> group)
    {
        try
        {
            Execute("BEGIN IMMEDIATE");
        }
        catch (Exception e)
        {
            foreach (var work in group) work.Fail(e);
            return;
        }
        foreach (var work in group)
        {
            try
            {
                Execute("SAVEPOINT work");
                work.Run(_db);
                Execute("RELEASE work");
            }
            catch (Exception e)
            {
                work.Fail(e);
                try { Execute("ROLLBACK TO work"); Execute("RELEASE work"); } catch (SqliteException) { /* see below */ }
                if (SQLitePCL.raw.sqlite3_get_autocommit(_db.Handle) != 0)
                {
                    // Some errors (disk full, I/O) roll the whole transaction back: nothing of the group is durable.
                    foreach (var other in group) other.Fail(e);
                    return;
                }
            }
        }
        try
        {
            Execute("COMMIT");
            Interlocked.Increment(ref _commits);
            foreach (var work in group) work.Complete();
        }
        catch (Exception e)
        {
            try { Execute("ROLLBACK"); } catch (SqliteException) { /* no transaction left */ }
            foreach (var work in group) work.Fail(e);
        }
    }

    private void Execute(string sql)
    {
        using var command = _db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _thread.Join(TimeSpan.FromSeconds(10));
        _db.Dispose();
    }

    private abstract class Work
    {
        public abstract void Run(SqliteConnection db);
        public abstract void Complete();
        public abstract void Fail(Exception e);
    }

    private sealed class Work<T>(Func<SqliteConnection, T> work) : Work
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private bool _failed;

        public Task<T> Task => _done.Task;
        public override void Run(SqliteConnection db) => _result = work(db);
        public override void Complete() { if (!_failed) _done.TrySetResult(_result!); }

        public override void Fail(Exception e)
        {
            _failed = true;
            _done.TrySetException(e);
        }
    }
}
