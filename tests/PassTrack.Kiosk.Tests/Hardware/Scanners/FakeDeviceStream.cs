using System.Threading.Channels;

namespace PassTrack.Kiosk.Tests.Hardware.Scanners;

/// <summary>
/// A device node or tty as the kernel presents it: a read waits until the device sends something. Disposing wakes a
/// waiting read with an error (as EVIOCREVOKE does); unplugging fails reads with "no such device".
/// </summary>
internal sealed class FakeDeviceStream : Stream
{
    private static readonly byte[] Unplugged = [];

    private readonly Channel<byte[]> _sent = Channel.CreateUnbounded<byte[]>();
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _pending = [];

    public bool Disposed => _closed.IsCancellationRequested;

    /// <summary>Completes once something is reading the device.</summary>
    public Task Reading => _reading.Task;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public void Send(byte[] bytes) => _sent.Writer.TryWrite(bytes);

    public void Unplug() => _sent.Writer.TryWrite(Unplugged);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _reading.TrySetResult();
        if (_pending.Length == 0)
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
            try
            {
                _pending = await _sent.Reader.ReadAsync(either.Token);
            }
            catch (OperationCanceledException) when (_closed.IsCancellationRequested)
            {
                throw new IOException("No such device (revoked)");
            }

            if (ReferenceEquals(_pending, Unplugged))
            {
                throw new IOException("No such device");
            }
        }

        var count = Math.Min(buffer.Length, _pending.Length);
        _pending.AsMemory(0, count).CopyTo(buffer);
        _pending = _pending[count..];
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed.IsCancellationRequested)
        {
            _closed.Cancel();
        }

        base.Dispose(disposing);
    }
}
