using PassTrack.Edge.Broker;

namespace PassTrack.Edge.Tests.Broker;

/// <summary>
/// The guard buffers what it reads and follows the packets through it: whatever the socket's chunks and the reader's
/// request sizes, the reader gets exactly the bytes sent, and a packet announcing more than the limit fails the read
/// before its body is handed out.
/// </summary>
public sealed class PacketSizeGuardTests
{
    /// <summary>A stream that returns at most <c>chunk</c> bytes a read, as a socket does with small segments.</summary>
    private sealed class Trickle(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public int Reads { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            Reads++;
            return base.Read(buffer[..Math.Min(chunk, buffer.Length)]);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Reads++;
            return base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
        }
    }

    private static byte[] Packet(int bodyLength, byte fill)
    {
        var header = new List<byte> { 0x30 };
        var length = bodyLength;
        do
        {
            var b = (byte)(length % 128);
            length /= 128;
            header.Add(length > 0 ? (byte)(b | 0x80) : b);
        }
        while (length > 0);
        return [.. header, .. Enumerable.Repeat(fill, bodyLength)];
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(7, 5)]
    [InlineData(100000, 2)]
    [InlineData(100000, 64)]
    [InlineData(3, 5000)]
    [InlineData(5000, 700)]
    public async Task Hands_over_exactly_the_bytes_sent_whatever_the_chunks(int socketChunk, int readSize)
    {
        byte[] sent = [.. Packet(0, 0), .. Packet(10, 1), .. Packet(200, 2), .. Packet(5000, 3), .. Packet(126, 4)];
        var tooLarge = 0L;
        await using var guard = new PacketSizeGuard(new Trickle(sent, socketChunk), 8192, size => tooLarge = size);

        var received = new List<byte>();
        var buffer = new byte[readSize];
        int n;
        while ((n = await guard.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
        {
            received.AddRange(buffer.AsSpan(0, n));
        }

        Assert.Equal(sent, received);
        Assert.Equal(0, tooLarge);
    }

    [Fact]
    public async Task One_socket_read_serves_a_packets_header_and_body()
    {
        byte[] sent = [.. Packet(60, 1), .. Packet(60, 2)];
        var socket = new Trickle(sent, 100000);
        await using var guard = new PacketSizeGuard(socket, 8192, _ => { });
        var ct = TestContext.Current.CancellationToken;

        // MQTTnet's way: two bytes of fixed header, then the body.
        var header = new byte[2];
        var body = new byte[60];
        for (var packet = 0; packet < 2; packet++)
        {
            Assert.Equal(2, await guard.ReadAsync(header, ct));
            Assert.Equal(60, header[1]);
            Assert.Equal(60, await guard.ReadAsync(body, ct));
            Assert.All(body, b => Assert.Equal(packet + 1, b));
        }

        Assert.Equal(1, socket.Reads);
    }

    [Fact]
    public async Task A_packet_over_the_limit_fails_the_read_that_reveals_its_length()
    {
        byte[] sent = [.. Packet(100, 1), .. Packet(9000, 2)];
        var reported = 0L;
        await using var guard = new PacketSizeGuard(new Trickle(sent, 100000), 8192, size => reported = size);
        var ct = TestContext.Current.CancellationToken;

        var first = new byte[102];
        Assert.Equal(102, await guard.ReadAsync(first, ct));
        var error = await Assert.ThrowsAsync<IOException>(async () => await guard.ReadExactlyAsync(new byte[16], ct));

        Assert.Contains("9000", error.Message, StringComparison.Ordinal);
        Assert.Equal(9000, reported);
    }

    [Fact]
    public void Synchronous_reads_see_the_same_stream()
    {
        byte[] sent = [.. Packet(10, 1), .. Packet(300, 2), .. Packet(0, 0)];
        using var guard = new PacketSizeGuard(new Trickle(sent, 7), 8192, _ => { });

        var received = new List<byte>();
        var buffer = new byte[3];
        int n;
        while ((n = guard.Read(buffer, 0, buffer.Length)) > 0)
        {
            received.AddRange(buffer.AsSpan(0, n));
        }

        Assert.Equal(sent, received);
    }
}
