using Booking.BuildingBlocks.Security;
using Booking.Host.Infrastructure;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.Platform;

/// <summary>
/// <c>keys revoke</c> reaches instances that are running (decision 238): each used to keep the key ring it had loaded for
/// about a day, reading cookies and links made with the revoked keys and making new ones with them until it restarted.
/// Two instances on one database; the revocation runs through the command's own code on the first; the second, not
/// restarted, refuses a trusted-device cookie made before it within seconds, far below the 5-minute backstop.
/// </summary>
public sealed class KeyRingRefreshTests
{
    private static readonly TimeSpan FarBelowTheBackstop = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_revocation_reaches_a_running_instance_which_refuses_the_old_keys_cookies_without_a_restart()
    {
        var database = await TestDatabaseServer.CreateDatabaseAsync("key_ring_refresh");
        await using var a = new BookingApp(database);
        await using var b = new BookingApp(database); // a second instance of the app on the same database
        await AppStarts.StartAsync(a);
        await AppStarts.StartAsync(b);

        // A device cookie made on A before the revocation, read on B (both loaded the one key ring).
        var tenant = Guid.NewGuid();
        const string login = "client@example.com", hash = "a password hash";
        var device = a.Services.GetRequiredService<TrustedDevices>().Issue(DeviceArea.Portal, tenant, login, hash);
        Assert.NotNull(b.Services.GetRequiredService<TrustedDevices>().Nonce(DeviceArea.Portal, device, tenant, login, hash));
        var oldKey = KeyOf(b);

        var report = await KeyCommands.RevokeAsync(a.Services, "a copy of the database was taken", CancellationToken.None);
        var made = report.Single(l => l.StartsWith("Made a new key, ", StringComparison.Ordinal));
        var newKey = Guid.Parse(made["Made a new key, ".Length..].Split(',')[0]);
        Assert.NotEqual(oldKey, newKey);

        // B, running all along, stops trusting the device once the notice arrives, and makes new cookies with the new key.
        await Eventually.ReturnsAsync(
            () => Task.FromResult(b.Services.GetRequiredService<TrustedDevices>().Nonce(DeviceArea.Portal, device, tenant, login, hash)),
            nonce => nonce is null, FarBelowTheBackstop, "instance B to refuse the revoked key's device cookie");
        Assert.Equal(newKey, KeyOf(b));

        // A, where it ran, the same: it hears the notice too, and its ring reloads in the background (the use that starts
        // the reload is answered with the old ring), so under load it may lag B by a moment.
        await Eventually.ReturnsAsync(
            () => Task.FromResult(a.Services.GetRequiredService<TrustedDevices>().Nonce(DeviceArea.Portal, device, tenant, login, hash)),
            nonce => nonce is null, FarBelowTheBackstop, "instance A to refuse the revoked key's device cookie");
        Assert.Equal(newKey, KeyOf(a));
        Assert.Contains(report, l => l.StartsWith("Running instances were told and reload the keys within seconds", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_notice_a_loaded_key_ring_is_kept_no_longer_than_the_refresh_period()
    {
        var refresh = new KeyRingRefresh(TimeSpan.FromMilliseconds(300));
        var first = refresh.Token;
        Assert.False(first.IsCancellationRequested);
        Assert.True(first.WaitHandle.WaitOne(TimeSpan.FromSeconds(10)), "the ring's token ends after the period");
        var second = refresh.Token; // a ring loaded after that gets a live token of its own
        Assert.False(second.IsCancellationRequested);

        refresh.RefreshNow(); // a notice ends it at once
        Assert.True(second.IsCancellationRequested);
        Assert.False(refresh.Token.IsCancellationRequested);

        Assert.Throws<InvalidOperationException>(() => new KeyRingRefresh(TimeSpan.Zero));
        Assert.Throws<InvalidOperationException>(() => new KeyRingRefresh(TimeSpan.FromDays(2)));
    }

    /// <summary>The key a payload protected now on <paramref name="app"/> names (Data Protection's header: 4 magic bytes, then the key id).</summary>
    private static Guid KeyOf(BookingApp app) =>
        new(app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("key-ring-refresh-test").Protect([1, 2, 3]).AsSpan(4, 16));
}
