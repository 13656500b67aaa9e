namespace PassTrack.Edge.Broker;

/// <summary>
/// Reads an MQTT byte stream and fails the read as soon as a packet's fixed header announces more than
/// <c>limit</c> bytes, before anything allocates room for it. MQTTnet's server has no packet size limit of its own and
/// would allocate whatever a peer announces (up to 256 MB, even for a CONNECT from someone who never authenticates).
/// Messages between the protocol's cap and this limit are refused politely by <see cref="Kiosks.KioskProtocol"/>;
/// beyond it the connection is dropped.
/// It also buffers what it reads (1 KB): MQTTnet reads a packet's fixed header and its body separately, which unbuffered is
/// two or three receive calls a packet; one call usually brings the whole packet (or several).
/// </summary>
internal sealed class PacketSizeGuard(Stream inner, int limit, Action<long> tooLarge) : Stream
{
    // A kiosk's request is a few hundred bytes: 1 KB holds one whole, and a thousand connections hold 1 MB of buffers.
    private const int BufferSize = 1024;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;
    private State _state = State.Type;
    private long _length;
    private int _lengthBytes;
    private int _multiplier = 1;
    private long _remaining;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_start == _end)
        {
            if (buffer.Length >= BufferSize)
            {
                return Hand(buffer, inner.Read(buffer));
            }
            _start = 0;
            _end = inner.Read(_buffer);
        }
        return Hand(buffer, _end == 0 ? 0 : -1);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_start < _end)
        {
            return new ValueTask<int>(Hand(buffer.Span, -1));
        }
        return buffer.Length < BufferSize ? FillAsync(buffer, cancellationToken) : ReadDirectAsync(buffer, cancellationToken);
    }

    private async ValueTask<int> FillAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await inner.ReadAsync(_buffer, cancellationToken);
        return Hand(buffer.Span, _end == 0 ? 0 : -1);
    }

    private async ValueTask<int> ReadDirectAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        return Hand(buffer.Span, n);
    }

    /// <summary>
    /// Gives the caller <paramref name="direct"/> bytes it read itself into <paramref name="buffer"/>, or (with -1) what
    /// the buffer holds, as much as fits; either way the bytes are inspected before the caller sees them.
    /// </summary>
    private int Hand(Span<byte> buffer, int direct)
    {
        int n;
        if (direct >= 0)
        {
            n = direct;
        }
        else
        {
            n = Math.Min(buffer.Length, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(buffer);
            _start += n;
        }
        Inspect(buffer[..n]);
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>Follows the packets through the bytes read: a type byte, a variable-length size, the body.</summary>
    private void Inspect(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            switch (_state)
            {
                case State.Type:
                    i++;
                    _state = State.Length;
                    _length = 0;
                    _lengthBytes = 0;
                    _multiplier = 1;
                    break;
                case State.Length:
                    var b = bytes[i++];
                    _length += (b & 0x7F) * (long)_multiplier;
                    _multiplier *= 128;
                    _lengthBytes++;
                    if ((b & 0x80) == 0)
                    {
                        if (_length > limit)
                        {
                            tooLarge(_length);
                            throw new IOException($"An MQTT packet of {_length} bytes exceeds the edge's limit of {limit}.");
                        }
                        _remaining = _length;
                        _state = _remaining == 0 ? State.Type : State.Body;
                    }
                    else if (_lengthBytes == 4)
                    {
                        tooLarge(-1);
                        throw new IOException("Malformed MQTT packet length.");
                    }
                    break;
                default:
                    var skip = (int)Math.Min(_remaining, bytes.Length - i);
                    i += skip;
                    _remaining -= skip;
                    if (_remaining == 0)
                    {
                        _state = State.Type;
                    }
                    break;
            }
        }
    }

    private enum State
    {
        Type,
        Length,
        Body,
    }
}
