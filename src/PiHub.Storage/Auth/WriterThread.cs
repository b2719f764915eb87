using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace PiHub.Storage.Auth;

/// <summary>
/// One dedicated thread that runs every database operation in order. LiteDB binds an
/// explicit transaction to the thread that began it, and one writer means commits never
/// interleave; callers await a task instead of blocking.
/// </summary>
internal sealed class WriterThread : IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();
    private readonly Thread _thread;

    public WriterThread(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on the writer thread; the task carries its result or exception.</summary>
    public Task<T> RunAsync<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _queue.Add(() =>
            {
                try
                {
                    done.SetResult(work());
                }
                catch (Exception ex)
                {
                    done.SetException(ex);
                }
            });
        }
        catch (InvalidOperationException)
        {
            done.SetException(new ObjectDisposedException(_thread.Name));
        }

        return done.Task;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the writer thread and waits for it: only for opening and closing a store,
    /// which are synchronous by contract (a service factory, <see cref="IDisposable"/>), never for a commit.
    /// </summary>
    public T Invoke<T>(Func<T> work)
    {
        if (Thread.CurrentThread == _thread) return work();
        using var done = new ManualResetEventSlim();
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        try
        {
            _queue.Add(() =>
            {
                try
                {
                    result = work();
                }
                catch (Exception ex)
                {
                    failure = ExceptionDispatchInfo.Capture(ex);
                }
                finally
                {
                    done.Set();
                }
            });
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(_thread.Name);
        }

        done.Wait();
        failure?.Throw();
        return result;
    }

    /// <summary>Lets queued work finish, then stops the thread.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        if (Thread.CurrentThread != _thread) _thread.Join();
        _queue.Dispose();
    }

    private void Run()
    {
        foreach (var work in _queue.GetConsumingEnumerable()) work();
    }
}
