using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Setup;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// s42 review #2: the email layout's card is fluid-hybrid. It is 100% wide up to 600 px (a phone's mail app shows it
/// at the phone's width), and a 600 px table inside an [if mso] comment holds it at 600 in Outlook on Windows, which
/// ignores max-width. Read from the rendered HTML (the template preview renders the same layout as every email).
/// </summary>
public sealed class FluidEmailLayoutTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task The_card_is_100_percent_wide_up_to_600_px_and_600_in_Outlook()
    {
        var biz = await shared.App.SignUpBusinessAsync("s42-fluid");
        var preview = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates/preview", new { subject = "Booked", body = "Hi {ClientFirstName}." }))
            .JsonAsync(HttpStatusCode.OK);
        var html = preview.GetProperty("html").GetString()!;
        var document = new HtmlParser().ParseDocument(html);

        var card = document.QuerySelector("table[data-role=card]");
        Assert.NotNull(card);
        Assert.Equal("100%", card.GetAttribute("width"));
        var style = card.GetAttribute("style") ?? "";
        Assert.Contains("width:100%;", style, StringComparison.Ordinal);
        Assert.Contains("max-width:600px;", style, StringComparison.Ordinal);
        Assert.NotNull(card.QuerySelector("td[data-role=body]"));
        // No fixed 600 px table a phone would have to zoom out of: the only one is Outlook's, inside its comment.
        Assert.Empty(document.QuerySelectorAll("table[width='600']"));
        var open = html.IndexOf("<!--[if mso]><table role=\"presentation\" width=\"600\" align=\"center\" cellpadding=\"0\" cellspacing=\"0\"><tr><td><![endif]-->", StringComparison.Ordinal);
        var cardAt = html.IndexOf("data-role=\"card\"", StringComparison.Ordinal);
        var close = html.IndexOf("<!--[if mso]></td></tr></table><![endif]-->", StringComparison.Ordinal);
        Assert.True(open >= 0 && open < cardAt && cardAt < close, $"the [if mso] frame should wrap the card: {open}, {cardAt}, {close}");
    }
}
