using System.Text;
using System.Text.RegularExpressions;
using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Sms;
using Booking.Services.Contracts;
using Booking.Tenancy.Contracts;
using Mediator;
using NodaTime;

namespace Booking.PortalAuth.Features.RequestDecisionSms;

/// <summary>
/// Staff decided a client's booking or cancellation request: a client with no email hears it by SMS to their mobile,
/// since Notifications' emails cannot reach them; a client with an email gets only the email, unless the request's receipt
/// was texted to their proven mobile (a request made by phone, then merged into a record with an email: decision 340,
/// <see cref="TextPromises"/>). One text per event (<see cref="PhoneOnlyClientSms"/>).
/// </summary>
public sealed class RequestDecisionSmsHandler(PhoneOnlyClientSms sms, ISender sender) : INotificationHandler<BookingRequestDecided>
{
    public async ValueTask Handle(BookingRequestDecided evt, CancellationToken cancellationToken) =>
        await sms.SendOnceAsync(
            evt.EventId,
            nameof(RequestDecisionSmsHandler),
            evt.ClientId,
            new TextAbout(TextKinds.RequestDecision, AppointmentId: evt.AppointmentId, AppointmentStart: evt.Start),
            async (business, links, ct) =>
            {
                var facts = await AppointmentTextFacts.ReadAsync(sender, business, evt.ServiceId, evt.PetId, ct);
                var access = new SmsPortalAccess(facts.Access.View, facts.Access.Book, facts.Access.Cancel, links.Cancel(evt.AppointmentId));
                return DecisionTexts.Body(evt, business, facts.ServiceName, links.Book, facts.Format, access, links.Appointments, facts.PetName);
            },
            cancellationToken,
            promisedBy: TextPromises.ReceiptOf(evt.Kind)); // the receipt texted said "you will get a text when they have decided" (decision 340)
}

/// <summary>What a client may do at the portal now (each level off while the portal is off), and the appointment's cancel page.</summary>
public sealed record SmsPortalAccess(bool View, bool Book, bool Cancel, string? CancelUrl = null)
{
    public static readonly SmsPortalAccess Everything = new(true, true, true);
}

/// <summary>
/// The decision texts, worded as Notifications' client emails (ClientTexts) but short: at most
/// <see cref="MaxLength"/> characters (two GSM segments), the decline reason shortened to fit. Every appointment text
/// names the pet (or other dependant) the appointment is for, as the emails' "For: …" line does ("Full groom for Luna,
/// Tuesday …"): a client with several pets could not tell otherwise which one it is about. A pet's name makes room for
/// itself within the budget (a reason is shortened further), and is left out only where the text would not fit even
/// without a reason (<see cref="WithPet"/>).
/// </summary>
public static partial class DecisionTexts
{
    public const int MaxLength = 306;

    /// <param name="format">The business's clock (its setting, else its country's), as its emails and pages use.</param>
    /// <param name="access">What the client may do at the portal now: the closing link offers only that (null: all).</param>
    /// <param name="appointmentsUrl">The client's appointments page, which "Your appointments: …" links (null: the portal's booking page).</param>
    /// <param name="petName">The pet the appointment is for, named in the text (null: none).</param>
    public static string Body(BookingRequestDecided evt, TenantInfo business, string? serviceName, string portalUrl, TimeFormat format, SmsPortalAccess? access = null, string? appointmentsUrl = null,
        string? petName = null) =>
        WithPet(petName, pet => Body(evt, business.Name, What(evt.Start, business, serviceName, format, pet), portalUrl, access, appointmentsUrl));

    private static string Body(BookingRequestDecided evt, string businessName, string what, string portalUrl, SmsPortalAccess? access, string? appointmentsUrl)
    {
        access ??= SmsPortalAccess.Everything;
        var listUrl = appointmentsUrl ?? portalUrl;
        var cancellation = string.Equals(evt.Kind, "cancellation", StringComparison.Ordinal);
        var head = (cancellation, evt.Accepted) switch
        {
            (false, true) => $"{businessName} accepted your booking request{Colon(what)}.",
            (false, false) => $"{businessName} could not accept your booking request{For(what)}.",
            (true, true) => $"{businessName} accepted your request to cancel{Space(what, "your appointment")}; it is cancelled.",
            (true, false) => $"{businessName} could not accept your request to cancel{Space(what, "your appointment")}; it stands.",
        };
        // The link says only what the portal lets the client do now, as the emails' closings do (PortalClosings).
        var tail = (cancellation, evt.Accepted) switch
        {
            (false, true) when access.View => $" Your appointments: {listUrl}",
            (false, true) when access is { Cancel: true, CancelUrl: { } cancelUrl } => $" To cancel: {cancelUrl}",
            (false, false) when access.Book => $" To choose another time: {portalUrl}",
            (true, true) when access.Book => $" To book again: {portalUrl}",
            (true, false) when access.View => $" Your appointments: {listUrl}",
            _ => "",
        };
        return WithReason(head, evt.Reason, tail);
    }

    /// <summary>
    /// "<paramref name="head"/> Reason: ….<paramref name="tail"/>" within <see cref="MaxLength"/>: the reason on one line,
    /// shortened with "..." to fit, and left out when under ten characters would be left for it (a very long business name).
    /// </summary>
    public static string WithReason(string head, string? reasonText, string tail)
    {
        var reason = OneLine(reasonText);
        if (reason.Length == 0)
        {
            return head + tail;
        }

        var room = MaxLength - head.Length - tail.Length - " Reason: .".Length;
        if (room < 10)
        {
            return head + tail; // a very long business name: the decision and the link matter more than the reason
        }

        if (reason.Length > room)
        {
            reason = reason[..(room - 3)].TrimEnd() + "...";
        }

        return new StringBuilder(head).Append(" Reason: ").Append(reason).Append(reason[^1] is '.' or '!' or '?' ? "" : ".").Append(tail).ToString();
    }

    /// <summary>
    /// The text <paramref name="text"/> writes naming the pet, unless that is over <see cref="MaxLength"/> (a very long
    /// business name with a long pet's name): then the text without it, as a reason is left out beside such a name.
    /// </summary>
    public static string WithPet(string? petName, Func<string?, string> text)
    {
        var pet = OneLine(petName);
        if (pet.Length == 0)
        {
            return text(null);
        }

        var named = text(pet);
        return named.Length <= MaxLength ? named : text(null);
    }

    /// <summary>The name of the pet an appointment is for (a removed pet's too, as the emails name it); null when none.</summary>
    public static async ValueTask<string?> PetNameAsync(ISender sender, Guid? petId, CancellationToken cancellationToken) =>
        petId is { } id ? (await sender.Send(new GetPetNames([id]), cancellationToken)).GetValueOrDefault(id) : null;

    /// <summary>
    /// "Nail Trim, Tuesday 8 December 2026 at 9:00 AM EST" (or "… at 09:00 EST"; "Nail Trim, Tuesday, December 8, 2026 at
    /// 9:00 AM EST" where the country writes the month first) in the business's zone, as the emails write it; with the
    /// pet it is for, "Nail Trim for Luna, Tuesday …" ("for Luna, Tuesday …" without a service).
    /// </summary>
    public static string What(DateTimeOffset? appointmentStart, TenantInfo business, string? serviceName, TimeFormat format, string? petName = null)
    {
        string? when = null;
        if (appointmentStart is { } start)
        {
            var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(business.TimeZone) ?? DateTimeZone.Utc;
            when = format.LongDateTimeWithZone(Instant.FromDateTimeOffset(start).InZone(zone), DateStyle.ForCountry(business.CountryCode));
        }

        var pet = OneLine(petName);
        var forWhom = pet.Length == 0 ? serviceName : string.IsNullOrWhiteSpace(serviceName) ? $"for {pet}" : $"{serviceName} for {pet}";
        return string.Join(", ", new[] { forWhom, when }.Where(s => !string.IsNullOrWhiteSpace(s)));
    }

    private static string Colon(string what) => what.Length > 0 ? ": " + what : "";

    private static string For(string what) => what.Length > 0 ? " for " + what : "";

    private static string Space(string what, string otherwise) => " " + (what.Length > 0 ? what : otherwise);

    private static string OneLine(string? text) => text is null ? "" : Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
