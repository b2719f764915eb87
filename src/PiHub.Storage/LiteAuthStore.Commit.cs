using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PiHub.Core;
using PiHub.Core.Auth.Storage;
using PiHub.Storage.Auth;

namespace PiHub.Storage;

public sealed partial class LiteAuthStore
{
    /// <inheritdoc />
    public Task<AuthData> CommitAsync(AuthChangeSet changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfReadOnly(changes);
        return _writer.RunAsync(() => CommitOnWriter(changes));
    }

    private AuthData CommitOnWriter(AuthChangeSet changes)
    {
        // Checked again on the writer: read-only may have been entered while this change was queued.
        ThrowIfReadOnly(changes);
        // Only here, on the writer: a commit that passed this line finishes before any flush queued
        // after the gate closed, and nothing queued behind it gets through.
        ThrowIfPowerFailing(changes);
        var started = Stopwatch.GetTimestamp();
        var before = Current;
        AuthData after;
        try
        {
            after = before.Apply(changes);
        }
        catch (ArgumentException ex)
        {
            throw new AuthStoreException(AuthStoreError.InvariantViolated,
                $"The change \"{changes.Description}\" was refused: {ex.Message} Nothing was written.", ex);
        }

        var problems = AuthInvariants.Check(after);
        if (problems.Count > 0)
        {
            throw new AuthStoreException(AuthStoreError.InvariantViolated,
                $"The change \"{changes.Description}\" was refused because {string.Join("; ", problems)}. Nothing was written.");
        }

        var db = _db ?? throw new AuthStoreException(AuthStoreError.WriteFailed,
            $"The change \"{changes.Description}\" was not saved: the auth store file is not open after an earlier failure. Restart the service.");
        var now = _time.GetUtcNow();
        try
        {
            db.Commit(before, after, changes, now);
        }
        catch (Exception ex)
        {
            ReopenAfterFailure(before);
            throw new AuthStoreException(AuthStoreError.WriteFailed,
                $"The change \"{changes.Description}\" was not saved: writing {_files.Data} failed ({ex.Message}). " +
                "Nothing was changed. Check free space (`df -h`) and the SD card's health (`dmesg`), then try again.", ex);
        }

        Volatile.Write(ref _current, after);
        LastCommitAt = now;
        _options.CommitTimed?.Invoke(Stopwatch.GetElapsedTime(started));
        _logger.LogDebug("Auth change {Description} committed as generation {Generation}", changes.Description, after.Generation);
        if (db.LogLength >= _options.CheckpointLogBytes) TryCheckpointOnWriter("the log reached its size limit");
        return after;
    }

    private void ThrowIfReadOnly(AuthChangeSet changes)
    {
        if (_readOnlyReason is { } reason)
        {
            var message = $"The change \"{changes.Description}\" was refused: the auth store is read-only ({reason}). Try again once it is writable.";
            throw new AuthStoreException(AuthStoreError.ReadOnly, message,
                new StoreRefusedException("auth", StoreRefusalCodes.ReadOnly, message));
        }
    }

    private void ThrowIfPowerFailing(AuthChangeSet changes)
    {
        if (_options.WriteGate?.Refuses("auth", changes.Description) == true)
        {
            var message = $"The change \"{changes.Description}\" was refused: {PiHub.Core.Power.WriteGate.Message}. Nothing was written; try again once power is back.";
            throw new AuthStoreException(AuthStoreError.PowerFailing, message,
                new StoreRefusedException("auth", StoreRefusalCodes.PowerFailing, message));
        }
    }

    /// <summary>
    /// After a failed commit LiteDB's in-memory state may not match the files, so the file is
    /// reopened and reread. If it no longer validates, writes stop until a restart recovers it.
    /// </summary>
    private void ReopenAfterFailure(AuthData before)
    {
        try
        {
            _db?.Dispose();
        }
        catch (Exception)
        {
            // Closing a failed engine may fail again; the reopen below decides what happens next.
        }

        _db = null;
        try
        {
            var db = AuthDatabase.OpenFiles(_files.Data, _files.Log, _options.Durable, wrap: _options.StreamWrapper);
            var data = db.Load();
            if (data.Generation != before.Generation)
            {
                db.Dispose();
                throw new InvalidDataException($"reread generation {data.Generation}, expected {before.Generation}");
            }

            _db = db;
        }
        catch (Exception ex)
        {
            EnterReadOnly($"the store could not be reread after a failed write ({ex.Message}); restart the service to recover it");
        }
    }

    private void TryCheckpointOnWriter(string why)
    {
        try
        {
            _db?.Checkpoint();
            _logger.LogDebug("Auth store checkpoint: {Why}", why);
        }
        catch (Exception ex)
        {
            // The commits are durable in the log already; the next checkpoint retries.
            _logger.LogWarning("Auth store checkpoint failed ({Why}): {Error}", why, ex.Message);
        }
    }
}
