using System.Text;
using PassTrack.Contracts.Protocol;
using PassTrack.Kiosk.Hardware;
using PassTrack.Kiosk.Hardware.Scanners;

namespace PassTrack.Kiosk.Tests.Hardware.Scanners;

public sealed class SerialScannerTests
{
    private readonly WatchedClock _time = new();

    [Fact(Timeout = 10_000)]
    public async Task Lines_cut_across_reads_arrive_as_whole_codes()
    {
        var port = new FakeDeviceStream();
        using var scanner = Scanner(() => port, ScannerRole.Codes);
        await using var codes = scanner.ReadAsync(TestContext.Current.CancellationToken)
            .GetAsyncEnumerator(TestContext.Current.CancellationToken);

        foreach (var chunk in new[] { "S12", "3456\r", "\nQR:ro", "om-12\n" })
        {
            port.Send(Encoding.ASCII.GetBytes(chunk));
        }

        Assert.True(await codes.MoveNextAsync());
        Assert.Equal(new ScannedCode(CredentialType.Barcode, "S123456"), codes.Current);
        Assert.True(await codes.MoveNextAsync());
        Assert.Equal(new ScannedCode(CredentialType.Barcode, "QR:room-12"), codes.Current);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_serial_card_reader_delivers_normalised_uids()
    {
        var port = new FakeDeviceStream();
        using var scanner = Scanner(() => port, ScannerRole.Cards, CardNumberFormat.DecimalLittleEndian);
        await using var codes = scanner.ReadAsync(TestContext.Current.CancellationToken)
            .GetAsyncEnumerator(TestContext.Current.CancellationToken);

        port.Send(Encoding.ASCII.GetBytes("0473670148\r\n"));

        Assert.True(await codes.MoveNextAsync());
        Assert.Equal(new ScannedCode(CredentialType.Card, "04A23B1C"), codes.Current);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_port_that_cannot_be_opened_is_tried_again()
    {
        var port = new FakeDeviceStream();
        var attempts = 0;
        using var scanner = Scanner(
            () => ++attempts < 3 ? throw new IOException("No such file: /dev/ttyACM0") : port,
            ScannerRole.Codes);
        await using var codes = scanner.ReadAsync(TestContext.Current.CancellationToken)
            .GetAsyncEnumerator(TestContext.Current.CancellationToken);
        port.Send("S9\n"u8.ToArray());

        var next = codes.MoveNextAsync().AsTask();
        await _time.AdvanceUntil(next, TimeSpan.FromSeconds(2));

        Assert.True(await next);
        Assert.Equal("S9", codes.Current.Value);
        Assert.Equal(3, attempts);
    }

    [Fact(Timeout = 10_000)]
    public async Task Stopping_the_reading_closes_the_port()
    {
        var port = new FakeDeviceStream();
        using var scanner = Scanner(() => port, ScannerRole.Codes);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        await using var codes = scanner.ReadAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        var next = codes.MoveNextAsync();
        await port.Reading;

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
        Assert.True(port.Disposed);
    }

    private SerialScanner Scanner(Func<Stream> open, ScannerRole role, CardNumberFormat format = CardNumberFormat.HexMsbFirst) =>
        new(open, new ScannerOptions { Kind = ScannerKind.Serial, Path = "/dev/ttyACM0", Role = role, CardFormat = format }, _time, null);
}
