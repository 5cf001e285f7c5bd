using System.Text.Json;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Contracts;

namespace Booking.Notifications.Rendering;

/// <summary>
/// What a message says, stored on its row when it is queued: the template text as it was then (so editing or
/// deleting a template later does not change a queued email), the raw merge values, an optional button and an
/// optional calendar invite. The delivery job renders it in the business's zone and branding at send time.
/// </summary>
public sealed record MessageContent(
    string Subject,
    string Body,
    Dictionary<string, string?> Values,
    MessageAction? Action = null,
    CalendarInvite? Calendar = null)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static MessageContent FromJson(string json) => JsonSerializer.Deserialize<MessageContent>(json, Json)
        ?? throw new InvalidOperationException("Empty message content.");
}

public sealed record MessageAction(string Label, string Url);

/// <summary>
/// An .ics for the client. Method REQUEST (booked) or CANCEL in emails, PUBLISH for the portal's "add to calendar"
/// download; the UID is stable per appointment, so a calendar that gets both keeps one event. No file is made for a
/// booking request still waiting (the portal does not offer one; the acceptance email carries the invite).
/// Cancelled: the appointment is cancelled (a CANCEL always is; a PUBLISH says so with STATUS:CANCELLED).
/// </summary>
public sealed record CalendarInvite(Guid AppointmentId, string Method, int Sequence, DateTimeOffset Start, DateTimeOffset End, string Summary, bool Cancelled = false)
{
    public const string Request = "REQUEST";
    public const string Cancel = "CANCEL";
    public const string Publish = "PUBLISH";

    /// <summary>Where <see cref="SequenceAt"/> counts from: before any appointment the product wrote a file for.</summary>
    public static readonly DateTimeOffset SequenceOrigin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The SEQUENCE of a file that tells the appointment as it was at <paramref name="at"/>: whole seconds from
    /// <see cref="SequenceOrigin"/> (an email: the time of the change it reports; the portal's download: the time it is
    /// made), so a later file outranks every earlier one under the same UID, and a calendar app takes a renamed service
    /// or diary, a new business address or a cancellation instead of keeping the words it has (decision 268). A cancelled
    /// appointment's file adds one, so it outranks a file made in the same second before the cancellation.
    /// Files written before this (SEQUENCE 0, a cancellation 1) are outranked by every file written since.
    /// </summary>
    public static int SequenceAt(DateTimeOffset at, bool cancelled)
    {
        var seconds = Math.Clamp(Math.Floor((at - SequenceOrigin).TotalSeconds), 0, int.MaxValue - 1);
        return (int)seconds + (cancelled ? 1 : 0);
    }

    public string Uid => $"appointment-{AppointmentId:N}@booking";

    public bool IsCancelled => Cancelled || Method == Cancel;

    /// <summary>
    /// The METHOD the file says. REQUEST and CANCEL are iTIP messages to an attendee (RFC 5546 requires one, and an
    /// ORGANIZER); with no attendee address the file can only publish the event.
    /// </summary>
    public string MethodFor(string? attendee) =>
        Method is Request or Cancel && string.IsNullOrWhiteSpace(attendee) ? Publish : Method;
}

/// <summary>
/// Who the .ics names besides the business: SenderAddress, the deployment's no-reply sender, which an emailed REQUEST or
/// CANCEL names as ORGANIZER when the business gave no email (RFC 5546 requires an organizer of an iTIP message with an
/// attendee); and, in an email, the client it is sent to (null for the portal's download).
/// </summary>
public sealed record CalendarParties(string SenderAddress, string? AttendeeAddress = null, string? AttendeeName = null);

/// <summary>
/// The business as an email shows it. Phone (as its clients write it) and Email: how clients reach it, each null for
/// none; Email is also the Reply-To of client emails. CancellationPolicy: the policy text clients are shown (null: none).
/// Access: what its clients may do at the portal now (null: not known, taken as everything on).
/// Clock: the business's 12- or 24-hour clock for times in merge values (null: the 24-hour one).
/// Dates: the order its country writes dates in, for dates in merge values (null: day first).
/// BooksForPets: whether its clients book for pets (Setup → Client Portal; null: not known). The preview fills
/// {PetName} with a sample only for a business that does.
/// Email is also the .ics ORGANIZER (the address a calendar app offers to reply to).
/// Country: the business's country (ISO alpha-2), which phone numbers in merge values are written for (null: not known,
/// every number written the international way).
/// Address: the business's postal address (Setup → Business details), lines separated by "\n"; null: none given. The
/// footer's contact lines and the .ics LOCATION carry it on one line (<see cref="AddressLine"/>, decision 274).
/// </summary>
public sealed record BusinessLook(string Name, string Slug, string TimeZone, string Colour, string? LogoUrl, string PortalUrl,
    string? Phone = null, string? Email = null, string? CancellationPolicy = null, ClientPortalAccess? Access = null, TimeFormat? Clock = null,
    DateStyle? Dates = null, bool? BooksForPets = null, string? Country = null, string? Address = null)
{
    /// <summary>The address on one line, its lines joined with ", " ("1 Harbour St, Sydney NSW 2000"); null when none.</summary>
    public string? AddressLine
    {
        get
        {
            if (string.IsNullOrWhiteSpace(Address))
            {
                return null;
            }

            var lines = Address.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.Length == 0 ? null : string.Join(", ", lines);
        }
    }

    /// <summary>Where the appointment is, as the .ics LOCATION says it: the name, then the address when there is one.</summary>
    public string Location => AddressLine is { } line ? $"{Name}, {line}" : Name;

    /// <summary>What the client emails may offer at the portal: <see cref="Access"/>, everything when it is not known.</summary>
    public ClientPortalAccess PortalAccess => Access ?? ClientPortalAccess.Everything;

    public TimeFormat TimeFormat => Clock ?? TimeFormat.TwentyFourHour;

    public DateStyle DateStyle => Dates ?? DateStyle.DayFirst;

    /// <summary>
    /// The client's appointments page (<c>/ol/appointments?name=</c>, {AppointmentsUrl}) on the portal's origin: where
    /// "See your appointments" leads, not the booking page (<see cref="PortalUrl"/>).
    /// </summary>
    public string AppointmentsUrl
    {
        get
        {
            var at = PortalUrl.IndexOf("/ol/book?", StringComparison.Ordinal);
            return at < 0 ? PortalUrl : PortalAddresses.Appointments(PortalUrl[..at], Slug);
        }
    }
}

/// <summary>
/// What a client may do at the business's portal (Setup → Client Portal), from Tenancy's settings alone, so the emails
/// follow the rule the portal follows: <see cref="Levels"/> is <see cref="PortalSettingsView.AccessInEffect"/> (every
/// level off while the portal is off), which every closing line reads. <see cref="Enabled"/> is whether the portal is on
/// at all, for the lines about the portal itself rather than a level: the footer's portal address and the mobile-number
/// email's "sign in … under Your details".
/// </summary>
public sealed record ClientPortalAccess
{
    public static readonly ClientPortalAccess Everything = new(true, new PortalAccessLevels(true, true, true));

    private ClientPortalAccess(bool enabled, PortalAccessLevels levels)
    {
        Enabled = enabled;
        Levels = levels;
    }

    public bool Enabled { get; }

    public PortalAccessLevels Levels { get; }

    public static ClientPortalAccess Of(PortalSettingsView settings) => new(settings.Enabled, settings.AccessInEffect);
}

public sealed record RenderedEmail(string Subject, string Text, string Html, IReadOnlyList<RenderedAttachment> Attachments);

public sealed record RenderedAttachment(string FileName, string ContentType, string Method, byte[] Content);
