using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PassTrack.Contracts.Passes;
using PassTrack.Edge.Tests.Kiosks;
using static PassTrack.Edge.Tests.Kiosks.KioskTestSupport;

namespace PassTrack.Edge.Tests.Broker;

public class TlsListenerTests
{
    [Fact]
    public async Task With_a_certificate_configured_kiosks_can_connect_over_tls_on_the_tls_port()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=edge.lincoln-hs.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UnixEpoch.AddYears(50), DateTimeOffset.UnixEpoch.AddYears(70));
        var folder = Directory.CreateTempSubdirectory("passtrack-tls-").FullName;
        var pfx = Path.Combine(folder, "edge.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx-password"), TestContext.Current.CancellationToken);
        var tlsPort = EdgeHost.FreePort();
        using var edge = await new EdgeHost(configure: s =>
        {
            s["Edge:Mqtt:TlsCertificatePath"] = pfx;
            s["Edge:Mqtt:TlsCertificatePassword"] = "pfx-password";
            s["Edge:Mqtt:TlsPort"] = tlsPort.ToString(CultureInfo.InvariantCulture);
        }).StartedAsync();
        var secret = await ProvisionAsync(edge, "kiosk-a101", "A101");

        // The kiosk pins the edge's certificate (district IT loads it with the kiosk's secret).
        await using var kiosk = await TestKiosk.ConnectAsync(tlsPort, "kiosk-a101", secret, edge.Clock, o => o.WithTlsOptions(t => t
            .UseTls()
            .WithTargetHost("edge.lincoln-hs.test")
            .WithCertificateValidationHandler(e => e.Certificate.GetCertHashString() == certificate.Thumbprint)));

        Assert.True(kiosk.Client.IsConnected);
        Assert.Equal(Outcome.Identified, (await kiosk.ScanAsync(Card(PlainStudents(edge)[0]))).Outcome);
        Directory.Delete(folder, recursive: true);
    }
}
