using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Notifications.Features.Unsubscribe;
using Mediator;
using NodaTime;

namespace Booking.Host.Pages.Staff;

/// <summary>
/// The page an unsubscribe link leads to (the footer's "Stop these emails to …" of a business's notification email, and
/// a GET of the List-Unsubscribe address): /staff/unsubscribe?name=&amp;token=. For the person at the address, not staff:
/// no sign-in, the business from <c>?name=</c>. Opening it changes nothing (mail scanners open links); its button (a form
/// post with an antiforgery token) unsubscribes. Mail providers' one-click POST goes to the API route instead.
/// </summary>
public sealed class UnsubscribeModel(TenantResolver resolver, ITenantContext tenantContext, ISender sender)
    : StaffEntryPageModel(resolver, tenantContext, sender)
{
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    /// <summary>What the link is for, while it is one of this business's; null otherwise.</summary>
    public UnsubscribeTarget? Target { get; private set; }

    /// <summary>The link is not one of this business's (forged, mistyped, cut short, another business's).</summary>
    public bool LinkDead { get; private set; }

    /// <summary>After the post: unsubscribed now (the page says so and how to get the emails back).</summary>
    public bool Done { get; private set; }

    public string FormAction => $"{StaffUrl("/staff/unsubscribe")}&token={Uri.EscapeDataString(Token ?? "")}";

    /// <summary>The business's date of the unsubscription, in its country's order.</summary>
    public string DateOf(DateTimeOffset at)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(Business!.TimeZone) ?? DateTimeZone.Utc;
        return DateStyle.ForCountry(Business.CountryCode).Long(Instant.FromDateTimeOffset(at).InZone(zone).Date);
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await ResolveAsync(ct) && !string.IsNullOrEmpty(Token))
        {
            Target = await Sender.Send(new ReadUnsubscribeLink(Token), ct);
            LinkDead = Target is null;
        }
    }

    public async Task OnPostAsync(CancellationToken ct)
    {
        if (!await ResolveAsync(ct) || string.IsNullOrEmpty(Token))
        {
            return;
        }

        Target = await Sender.Send(new UnsubscribeAddress(Token), ct);
        LinkDead = Target is null;
        Done = Target is not null;
    }
}
