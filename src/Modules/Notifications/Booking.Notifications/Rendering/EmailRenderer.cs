using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Booking.BuildingBlocks.Phones;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Web;
using Booking.BuildingBlocks.Time;
using Booking.Notifications.Delivery;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Booking.Notifications.Rendering;

/// <summary>
/// Turns stored message content into subject, plain text, HTML (the Razor layout via HtmlRenderer) and the .ics.
/// Merge values are formatted here: instants in the business's zone with the zone's abbreviation, the client's phones
/// ({ClientMobilePhone}, {ClientOtherPhone}, {ClientPhone}) as the business's country writes them (a <c>tel:</c> link in
/// the HTML part), everything
/// HTML-encoded in the HTML part, and the portal, reset and cancel addresses as links there.
/// </summary>
public sealed partial class EmailRenderer(IServiceProvider services, ILoggerFactory loggers, SmtpOptions smtp, TimeProvider clock)
{
    public const string DefaultColour = "#334155";

    /// <summary>
    /// The email for <paramref name="recipient"/> (the .ics names them as its attendee). <paramref name="unsubscribe"/>:
    /// the footer ends with "Stop these emails to …" linking to its page (emails to the business's notification addresses).
    /// <paramref name="kind"/>: the message's kind, which says whom the footer speaks to (<see cref="EmailFooter"/>): a
    /// client's email (or none given) ends with the business's contact and portal, an internal one with why its reader got it.
    /// </summary>
    public async Task<RenderedEmail> RenderAsync(MessageContent content, BusinessLook business, string? recipient = null, UnsubscribeLink? unsubscribe = null,
        string? kind = null)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(business.TimeZone) ?? DateTimeZone.Utc;
        string? Value(string field) => FormatValue(field, content.Values, business, zone);

        var subject = RenderSubject(content, business);
        // The built-in client texts' closing lines, in the words for what the portal lets the client do now.
        var body = PortalClosings.Expand(content.Body, business);
        var text = MergeFields.Render(body, Value).Replace("\r\n", "\n", StringComparison.Ordinal);
        var plain = new StringBuilder(text.TrimEnd());
        // The button's address for a reader of the plain text, unless the text gives it already (a reset email's
        // "open this link before …:" line): once is enough, and twice reads as two different links.
        if (content.Action is not null && !text.Contains(content.Action.Url, StringComparison.Ordinal))
        {
            plain.Append("\n\n").Append(content.Action.Label).Append(": ").Append(content.Action.Url);
        }

        plain.Append("\n\n--\n").Append(business.Name).Append('\n');
        // An internal email says why its reader got it instead of how clients reach the business and its booking page.
        var reason = EmailFooter.Reason(kind, content.Values, business.Name);
        // An address's confirmation keeps the phone and email under the name too: its reader may not know the business.
        var contactLines = reason is null || EmailFooter.ListsBusinessContact(kind) ? ContactLines(business).ToList() : [];
        foreach (var line in contactLines)
        {
            plain.Append(line).Append('\n');
        }

        if (reason is not null)
        {
            plain.Append(reason).Append('\n');
        }
        else if (business.PortalAccess.Enabled)
        {
            // A switched-off portal is not offered: its address would only say so.
            plain.Append(business.PortalUrl).Append('\n');
        }

        // A client's email nobody can reply to (no contact email, so no Reply-To) says so, and how to reach the business,
        // as the footer's last line: under the ways to reach it the footer lists.
        var noReply = EmailFooter.NoReplyLine(kind, business);
        if (noReply is not null)
        {
            plain.Append(noReply).Append('\n');
        }

        if (unsubscribe is not null)
        {
            plain.Append('\n').Append(UnsubscribeText(unsubscribe)).Append(": ").Append(unsubscribe.PageUrl).Append('\n');
        }

        // Tenant text is data: every character of it and of the values is encoded; only the addresses we made
        // (portal, reset, cancel) become links. Then line breaks become <br>.
        string? HtmlValue(string field) => Value(field) is { } value ? HtmlOf(field, value, content.Values, business) : null;
        var bodyHtml = string.Join("<br />\n",
            MergeFields.Render(body, HtmlValue, WebUtility.HtmlEncode).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'));
        var html = await RenderLayoutAsync(new Dictionary<string, object?>
        {
            [nameof(EmailLayout.Subject)] = subject,
            [nameof(EmailLayout.BusinessName)] = business.Name,
            [nameof(EmailLayout.Colour)] = SafeColour(business.Colour),
            [nameof(EmailLayout.TextColour)] = BrandColours.TextOn(SafeColour(business.Colour)),
            [nameof(EmailLayout.LogoUrl)] = business.LogoUrl,
            [nameof(EmailLayout.PortalUrl)] = reason is null && business.PortalAccess.Enabled ? business.PortalUrl : null,
            [nameof(EmailLayout.Contact)] = contactLines.Count > 0 ? string.Join(" · ", contactLines) : null,
            [nameof(EmailLayout.Reason)] = reason,
            [nameof(EmailLayout.NoReply)] = noReply,
            [nameof(EmailLayout.BodyHtml)] = new MarkupString("<p>" + bodyHtml + "</p>"),
            [nameof(EmailLayout.ActionLabel)] = content.Action?.Label,
            [nameof(EmailLayout.ActionUrl)] = content.Action is { } action && IsOurAddress(action.Url, business) ? action.Url : null,
            [nameof(EmailLayout.UnsubscribeText)] = unsubscribe is null ? null : UnsubscribeText(unsubscribe),
            [nameof(EmailLayout.UnsubscribeUrl)] = unsubscribe?.PageUrl,
        });

        var attachments = content.Calendar is not { } invite
            ? []
            : new[] { Attachment(invite, business, new CalendarParties(smtp.FromAddress, recipient, content.Values.GetValueOrDefault(MergeFields.ClientFullName)),
                CalendarDescription(invite, business, content.Values, zone)) };
        return new RenderedEmail(subject, plain.ToString(), html, attachments);
    }

    /// <summary>The footer's unsubscribe link's words.</summary>
    public static string UnsubscribeText(UnsubscribeLink link) => "Stop these emails to " + link.Address;

    /// <summary>The subject line as the email carries it (also kept on the message's row for the log).</summary>
    public static string RenderSubject(MessageContent content, BusinessLook business)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(business.TimeZone) ?? DateTimeZone.Utc;
        return Collapse(MergeFields.Render(content.Subject, field => FormatValue(field, content.Values, business, zone)));
    }

    private RenderedAttachment Attachment(CalendarInvite invite, BusinessLook business, CalendarParties parties, string description) =>
        new("appointment.ics", "text/calendar", invite.MethodFor(parties.AttendeeAddress),
            Encoding.UTF8.GetBytes(BuildCalendar(invite, business, parties, clock.GetUtcNow(), description)));

    /// <summary>
    /// The portal's "Add to calendar" download of one appointment (decision 355): the file the emails attach, with the
    /// same DESCRIPTION by the same rule (<see cref="CalendarDescription"/>), so an entry imported from the portal says
    /// what the emailed one says: where to cancel it (<paramref name="cancelUrl"/>, its cancel page, offered only where
    /// the business lets clients cancel online), the cancellation policy (<paramref name="policyAsBooked"/>: the
    /// appointment's own window where it differs from the business's policy, <see cref="PortalClosings.PolicyAsBooked"/>;
    /// null for the business's text) and how to reach the business; a cancelled one "This appointment is cancelled.".
    /// </summary>
    public static string BuildPortalCalendar(CalendarInvite invite, BusinessLook business, CalendarParties parties, DateTimeOffset stamp,
        string cancelUrl, string? policyAsBooked)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(business.TimeZone) ?? DateTimeZone.Utc;
        var values = new Dictionary<string, string?>(StringComparer.Ordinal) { [MergeFields.CancelUrl] = cancelUrl };
        if (policyAsBooked is not null)
        {
            values[MergeFields.CancellationPolicy] = policyAsBooked;
        }

        return BuildCalendar(invite, business, parties, stamp, CalendarDescription(invite, business, values, zone));
    }

    /// <summary>
    /// The .ics DESCRIPTION of an emailed file (decision 350): what the client needs with the entry in their calendar,
    /// away from the email. A booked appointment: "To cancel it, visit …" (its cancel page, where the business lets
    /// clients cancel online), "Cancellation policy: …" (the email's own {CancellationPolicy}, so an appointment's own
    /// window where the policy changed since), and "Questions? Contact …" in the closings' words; a cancelled one says
    /// so, then the contact line. Plain text, every character the business's data: Ical.Net escapes it.
    /// </summary>
    internal static string CalendarDescription(CalendarInvite invite, BusinessLook business, IReadOnlyDictionary<string, string?> values, DateTimeZone zone)
    {
        var lines = new List<string>();
        if (invite.IsCancelled)
        {
            lines.Add("This appointment is cancelled.");
        }
        else
        {
            if (business.PortalAccess.Levels.Cancel && values.GetValueOrDefault(MergeFields.CancelUrl) is { Length: > 0 } cancelUrl)
            {
                lines.Add("To cancel it, visit " + cancelUrl);
            }

            if (FormatValue(MergeFields.CancellationPolicy, values, business, zone) is { Length: > 0 } policy)
            {
                lines.Add("Cancellation policy: " + policy);
            }
        }

        var contact = MergeFields.Render(PortalClosings.ContactText(!string.IsNullOrEmpty(business.Phone), !string.IsNullOrEmpty(business.Email)),
            field => FormatValue(field, values, business, zone));
        lines.Add("Questions? Contact " + contact + ".");
        return string.Join("\n", lines);
    }

    /// <summary>The footer's ways to reach the business: "Phone: …", "Email: …", "Address: …" (on one line), each only when given.</summary>
    public static IEnumerable<string> ContactLines(BusinessLook business)
    {
        if (!string.IsNullOrEmpty(business.Phone))
        {
            yield return "Phone: " + business.Phone;
        }

        if (!string.IsNullOrEmpty(business.Email))
        {
            yield return "Email: " + business.Email;
        }

        if (business.AddressLine is { } address)
        {
            yield return "Address: " + address;
        }
    }

    /// <summary>
    /// A value in the HTML part: encoded text; for the addresses we made, a link to it; for the client's phones, a
    /// <c>tel:</c> link to its stored E.164 number (staff tap it to call), its text as <see cref="FormatValue"/> wrote it.
    /// </summary>
    private static string HtmlOf(string field, string value, IReadOnlyDictionary<string, string?> values, BusinessLook business)
    {
        if (field is MergeFields.PortalUrl or MergeFields.AppointmentsUrl or MergeFields.ResetUrl or MergeFields.CancelUrl or MergeFields.ForgotPasswordUrl && IsOurAddress(value, business))
        {
            return $"<a href=\"{WebUtility.HtmlEncode(value)}\">{WebUtility.HtmlEncode(value)}</a>";
        }

        if (field is MergeFields.ClientMobilePhone or MergeFields.ClientOtherPhone or MergeFields.ClientPhone
            && PhoneDisplay.TelHref(StoredPhone(field, values)) is { } tel)
        {
            return $"<a href=\"{WebUtility.HtmlEncode(tel)}\">{WebUtility.HtmlEncode(value)}</a>";
        }

        // The client's email as a mailto: link (decision 350: staff write back from the booking email), only for a plain
        // address: nothing in it (?, %, &) that a mail app would read as more than the address.
        if (field is MergeFields.ClientEmail && PlainAddress().IsMatch(value))
        {
            return $"<a href=\"mailto:{WebUtility.HtmlEncode(value)}\">{WebUtility.HtmlEncode(value)}</a>";
        }

        return WebUtility.HtmlEncode(value);
    }

    /// <summary>An http(s) address on the public origin (the portal address is built on it): only those become links.</summary>
    private static bool IsOurAddress(string value, BusinessLook business) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && Uri.TryCreate(business.PortalUrl, UriKind.Absolute, out var portal)
        && string.Equals(uri.GetLeftPart(UriPartial.Authority), portal.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

    private async Task<string> RenderLayoutAsync(Dictionary<string, object?> parameters)
    {
        await using var renderer = new HtmlRenderer(services, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<EmailLayout>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
    }

    public static string? FormatValue(string field, IReadOnlyDictionary<string, string?> values, BusinessLook business, DateTimeZone zone)
    {
        switch (field)
        {
            case MergeFields.BusinessName:
                return business.Name;
            case MergeFields.PortalUrl:
                return business.PortalUrl;
            case MergeFields.AppointmentsUrl:
                return business.AppointmentsUrl;
            case MergeFields.BusinessPhone:
                return business.Phone ?? "";
            case MergeFields.BusinessEmail:
                return business.Email ?? "";
            case MergeFields.CancellationPolicy:
                // The appointment's own window where the business's policy changed since it was booked (decision 273).
                return values.TryGetValue(field, out var asBooked) && asBooked is not null ? asBooked : business.CancellationPolicy ?? "";
        }

        if (field is MergeFields.AppointmentTimes)
        {
            return FormatSpan(values, business, zone);
        }

        // Kept as E.164 in the message; written as the business's country writes phone numbers (PhoneDisplay): the
        // national way for a number of its country, which is how the diary contact dials it; the international way
        // for another country's. {ClientPhone} is the mobile, else the other phone (decision 296).
        if (field is MergeFields.ClientMobilePhone or MergeFields.ClientOtherPhone or MergeFields.ClientPhone)
        {
            return WithoutAreaCodeBrackets(PhoneDisplay.Format(StoredPhone(field, values), business.Country) ?? "");
        }

        if (!values.TryGetValue(field, out var raw) || raw is null)
        {
            return "";
        }

        if (MergeFields.Instants.Contains(field)
            && DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            return FormatInstant(instant, zone, business.TimeFormat, business.DateStyle);
        }

        return raw;
    }

    /// <summary>
    /// A client's number in a message without the brackets some national formats put round the area code: "(02) 9374
    /// 4000" is "02 9374 4000", "(201) 555-0123" is "201-555-0123". Templates put the client's number in brackets
    /// ("{ClientFullName} ({ClientPhone})"), and "((02) 9374 4000)" reads badly; the digits dialled are the same.
    /// </summary>
    internal static string WithoutAreaCodeBrackets(string shown)
    {
        if (AreaCode().Match(shown) is not { Success: true } m)
        {
            return shown;
        }

        var rest = m.Groups["rest"].Value;
        return m.Groups["area"].Value + (rest.Contains('-', StringComparison.Ordinal) && !rest.Contains(' ', StringComparison.Ordinal) ? "-" : " ") + rest;
    }

    [GeneratedRegex(@"^\((?<area>[0-9]{1,6})\) ?(?<rest>[0-9][0-9 -]*)\z")]
    private static partial Regex AreaCode();

    /// <summary>
    /// The stored number (E.164) behind a phone field: {ClientPhone}'s is the mobile when there is one, else the other
    /// phone. Null for none.
    /// </summary>
    private static string? StoredPhone(string field, IReadOnlyDictionary<string, string?> values)
    {
        if (field is MergeFields.ClientPhone)
        {
            var mobile = values.GetValueOrDefault(MergeFields.ClientMobilePhone);
            return string.IsNullOrWhiteSpace(mobile) ? values.GetValueOrDefault(MergeFields.ClientOtherPhone) : mobile;
        }

        return values.GetValueOrDefault(field);
    }

    /// <summary>
    /// "Tuesday 24 March 2026 at 9:00 AM AEDT" (or "… at 09:00 AEDT", by the business's clock; "Tuesday, March 24, 2026
    /// at 9:00 AM EDT" where dates are written month first) in the business's zone. The abbreviation tells the two 1:30s
    /// of a day the clocks go back apart (EDT, then EST).
    /// </summary>
    public static string FormatInstant(DateTimeOffset instant, DateTimeZone zone, TimeFormat format, DateStyle dates) =>
        format.LongDateTimeWithZone(Instant.FromDateTimeOffset(instant).InZone(zone), dates);

    /// <summary>
    /// {AppointmentTimes}: the stored start and end as one phrase, the date once ("Tuesday 8 December 2026, 10:00–10:45
    /// AEDT"; <see cref="TimeFormat.LongSpanWithZone"/>); the start alone when there is no end, nothing without a start.
    /// </summary>
    private static string FormatSpan(IReadOnlyDictionary<string, string?> values, BusinessLook business, DateTimeZone zone)
    {
        if (!TryInstant(values, MergeFields.AppointmentStartDateTime, out var start))
        {
            return "";
        }

        return TryInstant(values, MergeFields.AppointmentEndDateTime, out var end) && end > start
            ? business.TimeFormat.LongSpanWithZone(Instant.FromDateTimeOffset(start).InZone(zone), Instant.FromDateTimeOffset(end).InZone(zone), business.DateStyle)
            : FormatInstant(start, zone, business.TimeFormat, business.DateStyle);
    }

    private static bool TryInstant(IReadOnlyDictionary<string, string?> values, string field, out DateTimeOffset instant)
    {
        instant = default;
        return values.TryGetValue(field, out var raw) && raw is not null
            && DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
    }

    public static string SafeColour(string? colour) =>
        colour is not null && HexColour().IsMatch(colour) ? colour : DefaultColour;

    /// <summary>
    /// The .ics: VTIMEZONE of the business, times local to it, a stable UID. The METHOD is the invite's (REQUEST,
    /// CANCEL, PUBLISH), PUBLISH when there is no attendee to send it to; the client is the ATTENDEE of a REQUEST or
    /// CANCEL. The ORGANIZER (CN the business's name) is the business's own email when it gave one, the address a
    /// calendar app offers the client to write to. Without one: an emailed REQUEST or CANCEL names the no-reply sender
    /// (RFC 5546 requires an organizer in an invitation to an attendee, and calendars drop an invitation without
    /// one); a PUBLISH names none (a published event without attendees needs none, RFC 5545 3.8.4.3), rather than
    /// show the client an address nobody reads.
    /// </summary>
    /// <summary>
    /// A name as an iCalendar parameter value (CN): one line, and without the double quotes that would end the quoted
    /// value. Property values (SUMMARY, LOCATION) Ical.Net escapes itself; parameter values it only quotes, so a line
    /// break in a stored name would start a property or an event of the sender's choosing.
    /// </summary>
    internal static string ParameterText(string name) => OneLineText.Flatten(name).Replace('"', '\'');

    public static string BuildCalendar(CalendarInvite invite, BusinessLook business, CalendarParties parties, DateTimeOffset stamp, string? description = null)
    {
        var zoneId = DateTimeZoneProviders.Tzdb.GetZoneOrNull(business.TimeZone) is null ? "UTC" : business.TimeZone;
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var method = invite.MethodFor(parties.AttendeeAddress);
        var calendar = new Ical.Net.Calendar { Method = method };
        calendar.AddTimeZone(TimeZoneBlock(zone, zoneId, invite.Start, invite.End));
        var evt = new CalendarEvent
        {
            Uid = invite.Uid,
            Sequence = invite.Sequence,
            Summary = invite.Summary,
            DtStart = When(invite.Start, zone, zoneId),
            DtEnd = When(invite.End, zone, zoneId),
            DtStamp = new CalDateTime(stamp.UtcDateTime, "UTC"),
            Status = invite.IsCancelled ? "CANCELLED" : "CONFIRMED",
            Location = business.Location,
        };
        if (!string.IsNullOrWhiteSpace(description))
        {
            evt.Description = description;
        }

        var organizer = !string.IsNullOrWhiteSpace(business.Email) ? business.Email.Trim()
            : method != CalendarInvite.Publish ? parties.SenderAddress
            : null;
        if (organizer is not null)
        {
            evt.Organizer = new Organizer("mailto:" + organizer) { CommonName = ParameterText(business.Name) };
        }

        if (method != CalendarInvite.Publish)
        {
            evt.Attendees.Add(new Attendee("mailto:" + parties.AttendeeAddress)
            {
                CommonName = string.IsNullOrWhiteSpace(parties.AttendeeName) ? null : ParameterText(parties.AttendeeName),
                Role = ParticipationRole.RequiredParticipant,
                ParticipationStatus = EventParticipationStatus.Accepted,
                Rsvp = false,
            });
        }

        calendar.Events.Add(evt);
        return new CalendarSerializer().SerializeToString(calendar)!;
    }

    /// <summary>
    /// A time as the zone's local time with its TZID, except the second occurrence of a repeated local time (the
    /// hour the clocks go back): TZID and local time mean the first one (RFC 5545 3.3.5), so that one is written in UTC.
    /// </summary>
    private static CalDateTime When(DateTimeOffset value, DateTimeZone zone, string zoneId)
    {
        var instant = Instant.FromDateTimeOffset(value);
        var local = instant.InZone(zone).LocalDateTime;
        var mapping = zone.MapLocal(local);
        return mapping.Count == 2 && mapping.First().ToInstant() != instant
            ? new CalDateTime(value.UtcDateTime, "UTC")
            : new CalDateTime(local.ToDateTimeUnspecified(), zoneId);
    }

    /// <summary>
    /// The file's VTIMEZONE, made from NodaTime's own intervals of the zone (not Ical.Net's <c>FromDateTimeZone</c>, which
    /// writes Europe/Dublin's winter as +01:00: tzdb gives Ireland a negative DST, summer being its standard time): one
    /// observance per change of offset from the January of the year before the appointment to the December of the year
    /// after, each with its own onset (DTSTART, local time before the change), offsets and abbreviation, and no RRULE,
    /// so a calendar app reads exactly the offsets tzdb has. The first observance starts where the interval in force at
    /// the span's start began, so every local time in the span is covered. DAYLIGHT is the larger offset of a pair that
    /// shares one standard offset (Dublin's IST, New York's EDT), whatever sign NodaTime gives the savings; a change of
    /// standard offset, and a zone with no changes at all, is STANDARD (decision 268).
    /// </summary>
    internal static VTimeZone TimeZoneBlock(DateTimeZone zone, string zoneId, DateTimeOffset start, DateTimeOffset end)
    {
        var block = new VTimeZone(zoneId);
        var from = Instant.FromUtc(start.UtcDateTime.Year - 1, 1, 1, 0, 0);
        var to = Instant.FromUtc(end.UtcDateTime.Year + 2, 1, 1, 0, 0);
        foreach (var interval in zone.GetZoneIntervals(new Interval(from, to)))
        {
            var before = interval.HasStart ? zone.GetZoneInterval(interval.Start - NodaTime.Duration.Epsilon) : null;
            var after = interval.HasEnd ? zone.GetZoneInterval(interval.End) : null;
            var daylight = new[] { before, after }.Any(n => n is not null && n.StandardOffset == interval.StandardOffset && n.WallOffset < interval.WallOffset);
            // A zone that never changed (UTC) still needs one observance with an onset: any date before the span does.
            var onset = interval.HasStart
                ? interval.Start.WithOffset(before!.WallOffset).LocalDateTime
                : new LocalDateTime(1970, 1, 1, 0, 0);
            block.TimeZoneInfos.Add(new VTimeZoneInfo(daylight ? Components.Daylight : Components.Standard)
            {
                TimeZoneName = interval.Name,
                OffsetFrom = new UtcOffset((before ?? interval).WallOffset.ToTimeSpan()),
                OffsetTo = new UtcOffset(interval.WallOffset.ToTimeSpan()),
                Start = new CalDateTime(onset.ToDateTimeUnspecified(), null),
            });
        }

        return block;
    }

    private static string Collapse(string subject) => subject.Replace('\r', ' ').Replace('\n', ' ').Trim();

    [GeneratedRegex(@"^#[0-9a-fA-F]{6}\z")]
    private static partial Regex HexColour();

    [GeneratedRegex(@"^[A-Za-z0-9._+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\z")]
    private static partial Regex PlainAddress();
}
