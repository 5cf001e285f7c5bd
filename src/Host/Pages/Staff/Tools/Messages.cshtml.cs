using System.Globalization;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Time;
using Booking.Host.Web;
using Booking.Notifications.Features.Messages;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Booking.Host.Pages.Staff.Tools;

/// <summary>
/// The sent-messages log: every email and SMS with its delivery status and last error (GET /api/v1/admin/messages),
/// a page at a time, newest first; "Older" follows the query's keyset cursor, "Newest" goes back to the start. Each
/// message shows what it is in words (MessageKinds.Labels), its subject and the appointment it is about; every time
/// is the business's, with its zone's abbreviation. A withheld message (never sent: its address not confirmed) shows why,
/// and may be sent once an address is confirmed. A failed or withheld message whose address has since unsubscribed
/// (decision 230) shows when, and no Resend (the server would answer 409 unsubscribed). Texts (SMS) are listed among
/// the emails (decision 252), the Channel column telling them apart, with the text as sent (never a one-time code) and
/// no Resend; a text the app would not send is "Refused", its note saying why.
/// </summary>
public sealed class MessagesModel(ISender sender) : StaffPageModel
{
    public const int PageSize = 50;

    public static readonly IReadOnlyList<string> Statuses = ["queued", "retrying", "sent", "failed", "withheld", "refused"];

    /// <summary>"Email" or "Text": how the message went, in words.</summary>
    public static string ChannelLabel(string channel) => channel == MessageChannels.Text ? "Text" : "Email";

    /// <summary>A status in words on the page ("Sent", "Failed"); the API and the filter's values keep the lowercase codes.</summary>
    public static string StatusLabel(string status) =>
        status.Length == 0 ? status : char.ToUpperInvariant(status[0]) + status[1..].Replace('-', ' ');

    /// <summary>
    /// Why a resend would be refused (no-longer-current), said once per row (decision 336): where the row's note already
    /// says why (a withheld "… This appointment has since been cancelled."), only "It is not sent again.".
    /// </summary>
    public static string StaleWords(string? note, string stale)
    {
        const string tail = " It is not sent again.";
        var why = stale.EndsWith(tail, StringComparison.Ordinal) ? stale[..^tail.Length] : stale;
        return note is { Length: > 0 } && note.Contains(why, StringComparison.Ordinal) ? tail.Trim() : stale;
    }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    public IReadOnlyList<MessageView> Messages { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public string? NextCursor { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var status = Statuses.Contains(Status) ? Status : null;
        Status = status;
        try
        {
            var page = await sender.Send(new ListMessages(status, PageSize, string.IsNullOrEmpty(Cursor) ? null : Cursor), ct);
            Messages = page.Items;
            NextCursor = page.NextCursor;
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, _ => string.Empty))
        {
            Cursor = null; // a link that no longer works: say so, and offer the newest page
        }
    }

    /// <summary>
    /// "Thu 3 Dec 2026, 23:16 AEDT" (or "11:16 PM AEDT" on a 12-hour clock; "Thu, Dec 3, 2026, 11:16 PM EST" where the
    /// country writes the month first): the business's date and time, always with its zone (a log is read across days
    /// and zones).
    /// </summary>
    public string When(DateTimeOffset at)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(Business.TimeZone) ?? DateTimeZone.Utc;
        var zoned = Instant.FromDateTimeOffset(at).InZone(zone);
        return Dates.Short(zoned.Date, withYear: true) + ", " + TimeFormat.Time(zoned) + " " + ZoneAbbreviation.Of(zoned);
    }

    /// <summary>The appointment's day in the diary: /staff/diary?date=…&amp;view=day (the business's date of its start).</summary>
    public string DiaryDay(DateTimeOffset start)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(Business.TimeZone) ?? DateTimeZone.Utc;
        var date = Instant.FromDateTimeOffset(start).InZone(zone).Date;
        return "/staff/diary?date=" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "&view=day";
    }

    public static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public string PageUrl(string? cursor)
    {
        var query = new List<string>();
        if (Status is not null)
        {
            query.Add("status=" + Uri.EscapeDataString(Status));
        }

        if (cursor is not null)
        {
            query.Add("cursor=" + Uri.EscapeDataString(cursor));
        }

        return "/staff/tools/messages" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
    }

    /// <param name="to">The address to send it to: the page offers the message's own, which staff may correct.</param>
    public async Task<IActionResult> OnPostResendAsync(Guid id, string? to, CancellationToken ct)
    {
        try
        {
            var message = await sender.Send(new ResendMessage(id, to, StaffName), ct);
            Notice = $"The message to {message.To} is queued to be sent again.";
        }
        catch (ProblemException ex) when (ex.Status is 404 or 409)
        {
            Notice = ex.Status == 404 ? "That message no longer exists."
                : ex.Kind is ResendMessageHandler.SignInEmail or ResendMessageHandler.ConfirmationEmail or ResendMessageHandler.NoLongerCurrent or ResendMessageHandler.Unsubscribed ? ex.Detail
                : "That message was already sent.";
        }
        catch (FluentValidation.ValidationException ex)
        {
            Notice = "Not sent again: " + string.Join(" ", ex.Errors.Select(e => e.ErrorMessage));
        }

        return RedirectToPage(new { status = Status });
    }
}
