using System.Net;
using System.Net.Http.Json;
using Booking.BuildingBlocks.Jobs;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Setup;
using Booking.Notifications.Data;
using Booking.Notifications.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Every appointment email reads the business's notification settings, so Notifications keeps them as reference data
/// (<see cref="NotificationsDbContext.KeptSettingsAsync"/>, issue 4). A change must show at once on the instance that
/// made it and on every other instance once it commits (NOTIFY), long before the 5-minute backstop: a settings save, and
/// a template's delete, whose foreign keys clear the settings' id without a save.
/// </summary>
public sealed class KeptNotificationSettingsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static readonly TimeSpan FarBelowTheBackstop = TimeSpan.FromSeconds(10);

    private static object Settings(bool onNew, Guid? templateId) => new
    {
        notifyDiaryContactOnNew = new { enabled = onNew, templateId },
        notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
        extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
        includeStaffChanges = false,
    };

    /// <summary>The settings as an email on that instance reads them, and the round trips the read made.</summary>
    private static async Task<(NotificationSettings? Settings, int RoundTrips)> KeptAsync(BookingApp app, Guid tenantId)
    {
        using var trips = new RoundTrips();
        await using var scope = await TenantScope.OpenAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), tenantId, CancellationToken.None);
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        using var activity = RoundTrips.Start("kept-settings");
        var settings = await db.KeptSettingsAsync(CancellationToken.None);
        return (settings, trips.Of(activity.TraceId).Count);
    }

    [Fact]
    public async Task The_settings_are_kept_between_emails_and_a_save_reaches_both_instances()
    {
        var a = shared.App;
        await using var b = new BookingApp(a.Database); // a second instance of the app on the same database
        // B's listener drops everything B keeps once it is listening: the reads below start after that.
        await ReferenceDataListening.WaitUntilListeningAsync(b);
        var biz = await a.SignUpBusinessAsync("kept");
        var template = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", new { name = "Kept", subject = "Booked: {ClientFullName}", body = "{ServiceName}" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", Settings(onNew: false, templateId: null))).JsonAsync(HttpStatusCode.OK);

        // Both instances read the settings once, then answer from what they keep: no round trip.
        // (The save's own notice reaches B a moment after the save, and drops what B read before it: B's pair of reads is
        // tried again until it falls after the notice, which a loaded machine can delay.)
        foreach (var app in new[] { a, b })
        {
            (NotificationSettings? Settings, int RoundTrips) again = default;
            for (var attempt = 0; attempt < 20 && (attempt == 0 || again.RoundTrips != 0); attempt++)
            {
                await Task.Delay(attempt * 50);
                Assert.False((await KeptAsync(app, biz.Id)).Settings!.NotifyOnNewEnabled);
                again = await KeptAsync(app, biz.Id);
            }

            Assert.False(again.Settings!.NotifyOnNewEnabled);
            Assert.Equal(0, again.RoundTrips);
        }

        // A save on A: A's next email reads it at once, B's once the change's notification arrives.
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", Settings(onNew: true, template))).JsonAsync(HttpStatusCode.OK);
        var onA = (await KeptAsync(a, biz.Id)).Settings!;
        Assert.True(onA.NotifyOnNewEnabled);
        Assert.Equal(template, onA.NotifyOnNewTemplateId);
        await Eventually.ReturnsAsync(async () => (await KeptAsync(b, biz.Id)).Settings!, s => s.NotifyOnNewEnabled && s.NotifyOnNewTemplateId == template,
            FarBelowTheBackstop, "instance B to read the saved settings");

        // A copy each time: changing what one email was given changes nothing the next one reads.
        onA.ExtraAddresses.Add("someone@example.com");
        onA.NotifyOnNewEnabled = false;
        Assert.Empty((await KeptAsync(a, biz.Id)).Settings!.ExtraAddresses);
        Assert.True((await KeptAsync(a, biz.Id)).Settings!.NotifyOnNewEnabled);

        // A template in use is not deleted (decision 251): the settings both keep stay as they are.
        Assert.Equal(HttpStatusCode.Conflict, (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/templates/{template}", UriKind.Relative))).StatusCode);
        Assert.Equal(template, (await KeptAsync(a, biz.Id)).Settings!.NotifyOnNewTemplateId);
        Assert.Equal(template, (await KeptAsync(b, biz.Id)).Settings!.NotifyOnNewTemplateId);
    }
}
