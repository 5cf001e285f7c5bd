using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.BuildingBlocks.Jobs;
using Booking.IntegrationTests.Infrastructure;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Development's mail sink keeps each attachment's bytes, so /dev/mail links the calendar file a confirmation carries
/// and /dev/api/mail gives its address, served only where every /dev route is (Development, loopback).
/// </summary>
public sealed class DevMailAttachmentTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task The_dev_sink_opens_a_mails_calendar_attachment_from_the_list_and_the_page()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var to = $"ics-{Guid.NewGuid():N}@example.com";
        var start = DateTimeOffset.UtcNow.AddDays(3);
        await using (var scope = await TenantScope.OpenAsync(shared.App.Services.GetRequiredService<IServiceScopeFactory>(), biz.Id, CancellationToken.None))
        {
            var writer = scope.ServiceProvider.GetRequiredService<MessageWriter>();
            writer.Add(Guid.NewGuid(), to, MessageKinds.ClientBookingConfirmation, new MessageContent(
                "Your appointment is confirmed", "Hi {ClientFirstName}", new Dictionary<string, string?> { [MergeFields.ClientFirstName] = "Robin" },
                Calendar: new CalendarInvite(Guid.NewGuid(), CalendarInvite.Request, 0, start, start.AddHours(1), "Massage for Marmite")));
            await writer.SaveAndEnqueueAsync(CancellationToken.None);
        }

        var client = shared.App.NewClient();
        var mails = await Eventually.ReturnsAsync(
            () => client.GetFromJsonAsync<JsonElement>($"/dev/api/mail?to={Uri.EscapeDataString(to)}"),
            j => j.GetArrayLength() == 1, TimeSpan.FromSeconds(60), "dev mail");
        var attachment = Assert.Single(mails[0].GetProperty("attachments").EnumerateArray());
        Assert.Equal("text/calendar", attachment.GetProperty("contentType").GetString());
        var url = attachment.GetProperty("url").GetString()!;

        var file = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("text/calendar", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal(attachment.GetProperty("fileName").GetString(), file.Content.Headers.ContentDisposition?.FileNameStar ?? file.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var ics = await file.Content.ReadAsStringAsync();
        Assert.StartsWith("BEGIN:VCALENDAR", ics, StringComparison.Ordinal);
        Assert.Contains("SUMMARY:Massage for Marmite", ics, StringComparison.Ordinal);

        var page = await client.GetStringAsync(new Uri($"/dev/mail?to={Uri.EscapeDataString(to)}", UriKind.Relative));
        Assert.Contains($"<a href=\"{url}\">", page, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri(url[..^1] + "9", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/dev/api/mail/{Guid.NewGuid()}/attachments/0", UriKind.Relative))).StatusCode);
    }
}
