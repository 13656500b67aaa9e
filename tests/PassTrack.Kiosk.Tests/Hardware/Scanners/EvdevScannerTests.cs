using PassTrack.Contracts.Protocol;
using PassTrack.Kiosk.Hardware;
using PassTrack.Kiosk.Hardware.Scanners;

namespace PassTrack.Kiosk.Tests.Hardware.Scanners;

public sealed class EvdevScannerTests
{
    private const string Reader = "/dev/input/by-id/usb-ACME_RFID_Reader-event-kbd";
    private const string ReaderSecondNode = "/dev/input/by-id/usb-ACME_RFID_Reader-if01-event-kbd";

    private readonly WatchedClock _time = new();
    private readonly FakeKeyboardNodes _nodes = new();

    [Fact(Timeout = 10_000)]
    public async Task A_card_comes_through_from_whichever_of_two_nodes_types_it()
    {
        var silent = _nodes.Plug(Reader);
        var typing = _nodes.Plug(ReaderSecondNode);
        using var scanner = Scanner(ScannerRole.Cards, CardNumberFormat.HexLsbFirst);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        await using var codes = scanner.ReadAsync(stop.Token).GetAsyncEnumerator(stop.Token);

        var next = codes.MoveNextAsync();
        typing.Send(new InputEvents().Type("1c3ba204\n").ToArray());

        Assert.True(await next);
        Assert.Equal(new ScannedCode(CredentialType.Card, "04A23B1C"), codes.Current);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await codes.MoveNextAsync());
        Assert.True(silent.Disposed, "the silent node was left with a read blocked on it");
        Assert.True(typing.Disposed);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_barcode_scanner_delivers_each_scan_in_order()
    {
        var scannerNode = _nodes.Plug(Reader);
        using var scanner = Scanner(ScannerRole.Codes);
        await using var codes = scanner.ReadAsync(TestContext.Current.CancellationToken)
            .GetAsyncEnumerator(TestContext.Current.CancellationToken);

        scannerNode.Send(new InputEvents().Type("S123456\n").ToArray());
        scannerNode.Send(new InputEvents().Type("https://pass.example/q?k=Z9\n").ToArray());

        Assert.True(await codes.MoveNextAsync());
        Assert.Equal(new ScannedCode(CredentialType.Barcode, "S123456"), codes.Current);
        Assert.True(await codes.MoveNextAsync());
        Assert.Equal(new ScannedCode(CredentialType.Barcode, "https://pass.example/q?k=Z9"), codes.Current);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_line_that_is_not_a_card_is_skipped_and_the_next_card_reads()
    {
        var readerNode = _nodes.Plug(Reader);
        using var scanner = Scanner(ScannerRole.Cards, CardNumberFormat.DecimalBigEndian);
        await using var codes = scanner.ReadAsync(TestContext.Current.CancellationToken)
            .GetAsyncEnumerator(TestContext.Current.CancellationToken);

        readerNode.Send(new InputEvents().Type("hello\n" + new string('1', 200) + "\n0077740828\n").ToArray());

        Assert.True(await codes.MoveNextAsync());
        Assert.Equal(new ScannedCode(CredentialType.Card, "04A23B1C"), codes.Current);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_scanner_plugged_in_after_start_is_found_on_the_next_look()
    {
        using var scanner = Scanner(ScannerRole.Codes);
        await using var codes = scanner.ReadAsync(TestContext.Current.CancellationToken)
            .GetAsyncEnumerator(TestContext.Current.CancellationToken);
        var next = codes.MoveNextAsync().AsTask();

        var late = _nodes.Plug(Reader);
        late.Send(new InputEvents().Type("S7\n").ToArray());
        await _time.AdvanceUntil(next, TimeSpan.FromSeconds(2));

        Assert.True(await next);
        Assert.Equal("S7", codes.Current.Value);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_scanner_unplugged_and_plugged_back_is_read_again()
    {
        var first = _nodes.Plug(Reader);
        using var scanner = Scanner(ScannerRole.Codes);
        await using var codes = scanner.ReadAsync(TestContext.Current.CancellationToken)
            .GetAsyncEnumerator(TestContext.Current.CancellationToken);
        first.Send(new InputEvents().Type("A1\n").ToArray());
        Assert.True(await codes.MoveNextAsync());

        first.Unplug();
        var again = _nodes.Plug(Reader);
        again.Send(new InputEvents().Type("B2\n").ToArray());
        var next = codes.MoveNextAsync().AsTask();
        await _time.AdvanceUntil(next, TimeSpan.FromSeconds(2));

        Assert.True(await next);
        Assert.Equal("B2", codes.Current.Value);
        Assert.True(first.Disposed);
    }

    [Fact(Timeout = 10_000)]
    public async Task Disposing_the_scanner_ends_the_reading_and_releases_the_nodes()
    {
        var node = _nodes.Plug(Reader);
        var scanner = Scanner(ScannerRole.Codes);
        await using var codes = scanner.ReadAsync(TestContext.Current.CancellationToken)
            .GetAsyncEnumerator(TestContext.Current.CancellationToken);
        var next = codes.MoveNextAsync();

        scanner.Dispose();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
        Assert.True(node.Disposed);
    }

    [Fact]
    public void Only_keyboard_nodes_whose_name_matches_the_pattern_are_read()
    {
        var byId = Directory.CreateTempSubdirectory("by-id");
        try
        {
            foreach (var name in new[]
            {
                "usb-Honeywell_Imaging_Scanner-event-kbd", "usb-Honeywell_Imaging_Scanner-if01-event-kbd",
                "usb-Honeywell_Imaging_Scanner-event-mouse", "usb-Logitech_USB_Keyboard-event-kbd",
            })
            {
                File.WriteAllBytes(Path.Combine(byId.FullName, name), []);
            }

            var found = new EvdevNodes(new ScannerOptions { NamePattern = "honeywell" }, byId.FullName).Find();

            Assert.Equal(
                ["usb-Honeywell_Imaging_Scanner-event-kbd", "usb-Honeywell_Imaging_Scanner-if01-event-kbd"],
                found.Select(Path.GetFileName));
        }
        finally
        {
            byId.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_configured_path_is_read_only_while_it_exists()
    {
        var missing = new EvdevNodes(new ScannerOptions { Path = "/dev/input/by-id/usb-Not_There-event-kbd" }).Find();

        Assert.Empty(missing);
    }

    [Fact]
    public void A_node_that_is_not_an_input_device_cannot_be_grabbed()
    {
        var file = Path.GetTempFileName();
        try
        {
            var error = Assert.Throws<IOException>(() => new EvdevStream(file));

            Assert.Contains("EVIOCGRAB failed", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private EvdevScanner Scanner(ScannerRole role, CardNumberFormat format = CardNumberFormat.HexMsbFirst) =>
        new(_nodes, new ScannerOptions { Kind = ScannerKind.Evdev, Role = role, CardFormat = format }, _time, null);
}
