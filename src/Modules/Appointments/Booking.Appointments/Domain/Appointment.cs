using Booking.BuildingBlocks.Data;
using NodaTime;

namespace Booking.Appointments.Domain;

public static class AppointmentStatus
{
    public const string Requested = "requested";
    public const string Confirmed = "confirmed";
    public const string CancellationRequested = "cancellation-requested";
    public const string Cancelled = "cancelled";
    public const string Declined = "declined";
    public const string Completed = "completed";
    public const string NoShow = "no-show";

    /// <summary>Statuses that no longer hold the diary's time (the exclusion constraint ignores them).</summary>
    public static readonly string[] Released = [Cancelled, Declined];

    /// <summary>What became of an appointment that happened: staff record it (RecordOutcome).</summary>
    public static readonly string[] Outcomes = [Completed, NoShow];
}

/// <summary>
/// How an appointment that no longer holds its time ended (<see cref="Appointment.Ended"/>, the API's <c>ended</c>): a
/// booking request the client withdrew, staff declined or staff cancelled before anyone accepted it, or an appointment
/// (once confirmed) cancelled. A withdrawn or cancelled request has the status <c>cancelled</c>, a declined one
/// <c>declined</c>; only this says nothing was ever booked.
/// </summary>
public static class AppointmentEndings
{
    public const string Withdrawn = "withdrawn";
    public const string Declined = "declined";
    public const string RequestCancelled = "request-cancelled";
    public const string Cancelled = "cancelled";

    /// <summary>How a cancel by <paramref name="by"/> (<c>client</c> or <c>staff</c>) ends an appointment in <paramref name="status"/>.</summary>
    public static string OfCancel(string status, string by) => status == AppointmentStatus.Requested
        ? by == "client" ? Withdrawn : RequestCancelled
        : Cancelled;
}

/// <summary>A client's appointment in one diary. Instants in the database; the business's zone renders them.</summary>
public sealed class Appointment : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public Guid? PetId { get; set; }

    public Guid DiaryId { get; set; }

    public Guid ServiceId { get; set; }

    public Instant StartAt { get; set; }

    public Instant EndAt { get; set; }

    /// <summary>End plus the service's buffer after: the diary is busy until then (the exclusion constraint's range end).</summary>
    public Instant BlockedUntil { get; set; }

    public string Status { get; set; } = AppointmentStatus.Confirmed;

    /// <summary>"portal" or "staff" (ChangeSources).</summary>
    public string Source { get; set; } = "";

    /// <summary>The Terms &amp; Conditions version the client accepted when booking, if the business had terms.</summary>
    public int? AcceptedTermsVersion { get; set; }

    public string? Note { get; set; }

    public Instant CreatedAt { get; set; }

    public Instant UpdatedAt { get; set; }

    /// <summary>
    /// When the appointment was filed as a booking request (status <c>requested</c>, waiting for staff); it stays after
    /// staff decide it. Null for one booked directly, by the client on the portal or by staff: it never was a request,
    /// and a decision naming its booking request is answered as for no request at all (decision 245).
    /// </summary>
    public Instant? RequestedAt { get; set; }

    public Instant? CancelledAt { get; set; }

    /// <summary>"client" or "staff".</summary>
    public string? CancelledBy { get; set; }

    public string? CancelReason { get; set; }

    /// <summary>
    /// When the client filed a cancellation request: the open one, or the one staff declined (the appointment kept, so
    /// the client may not ask again inside the window). Null when the client never asked.
    /// </summary>
    public Instant? CancellationRequestedAt { get; set; }

    /// <summary>
    /// The <c>CancellationRequested</c> event of the open request (its <c>EventId</c>): the withdrawal names it, so
    /// Notifications takes back that request's own emails. Null with no open request, and for requests filed before it.
    /// </summary>
    public Guid? CancellationRequestEventId { get; set; }

    /// <summary>
    /// When the client last withdrew a cancellation request ("Keep my appointment"); null once they ask again, and when
    /// they never withdrew one. Staff pages and a decision on the withdrawn request say so.
    /// </summary>
    public Instant? CancellationWithdrawnAt { get; set; }

    /// <summary>
    /// How it ended (<see cref="AppointmentEndings"/>), null while it holds its time. The database refuses a released
    /// status without one (<c>ck_appointments_ended</c>).
    /// </summary>
    public string? Ended { get; set; }

    // Who on the staff did what, and staff's own note (session 33, decision 269). Null on rows from before: they say "staff".

    /// <summary>The staff member who booked it (<see cref="Source"/> <c>staff</c>); null for a portal booking and for staff bookings made before it was kept.</summary>
    public Guid? BookedByStaffId { get; set; }

    /// <summary>The staff member who cancelled or declined it (<see cref="CancelledBy"/> <c>staff</c>); null otherwise and on rows from before.</summary>
    public Guid? CancelledByStaffId { get; set; }

    /// <summary>
    /// Staff's own note on the appointment, added or changed on its staff page (<c>PUT /api/v1/admin/appointments/{id}</c>).
    /// Never shown to the client, never in an event (emails, texts, .ics): <see cref="Note"/> is the booking's note, which a
    /// portal booking's client wrote and sees echoed.
    /// </summary>
    public string? StaffNote { get; set; }

    /// <summary>When <see cref="StaffNote"/> was last saved, and by whom (null: never).</summary>
    public Instant? StaffNoteUpdatedAt { get; set; }

    public Guid? StaffNoteUpdatedByStaffId { get; set; }

    /// <summary>
    /// The cancellation window the client was told when booking (the business's hours then): each appointment is judged
    /// by its own, so a later policy change applies to later bookings only (decision 270). Null only for a row written
    /// without it (none since migration <c>AppointmentKeepsTerms</c> backfilled the rest): the business's current hours.
    /// </summary>
    public int? CancellationHours { get; set; }

    /// <summary>What a cancel inside that window was to do when booked: <c>refuse</c> or <c>request</c> (as <see cref="CancellationHours"/>).</summary>
    public string? CancellationInsideWindow { get; set; }

    /// <summary>
    /// What the service cost when booked (amount and currency), whether or not the business shows prices to clients; null
    /// for appointments booked before prices were kept (nobody knows what they were quoted).
    /// </summary>
    public decimal? PriceAmount { get; set; }

    public string? PriceCurrency { get; set; }

    // Who decided the client's requests, and when (session 34, decision 276). Null while undecided and on rows from
    // before: the pages say "staff".

    /// <summary>When staff accepted or declined its booking request (<see cref="RequestedAt"/>).</summary>
    public Instant? RequestDecidedAt { get; set; }

    /// <summary>The staff member who accepted or declined its booking request.</summary>
    public Guid? RequestDecidedByStaffId { get; set; }

    /// <summary>When staff accepted or declined its cancellation request (<see cref="CancellationRequestedAt"/>).</summary>
    public Instant? CancellationDecidedAt { get; set; }

    /// <summary>The staff member who accepted or declined its cancellation request.</summary>
    public Guid? CancellationDecidedByStaffId { get; set; }

    /// <summary>
    /// The reason staff gave when they declined its cancellation request (the one the decline email carried); null when
    /// accepted, declined without one, or decided before it was kept (decision 286). A declined booking request keeps its
    /// reason in <see cref="CancelReason"/>, as the ending's.
    /// </summary>
    public string? CancellationDeclineReason { get; set; }

    // The last move to another time (decision 282; migration AppointmentMoves). Null when it was never moved.

    /// <summary>When it was last moved to another time (or diary); null when it never was.</summary>
    public Instant? MovedAt { get; set; }

    /// <summary>Who moved it last: <c>client</c> (the portal) or <c>staff</c>; null when it never was.</summary>
    public string? MovedBy { get; set; }

    /// <summary>The staff member who moved it last (<see cref="MovedBy"/> <c>staff</c>).</summary>
    public Guid? MovedByStaffId { get; set; }

    /// <summary>Where it was before its last move: the start and the diary (the staff page's "Moved from …").</summary>
    public Instant? MovedFromStartAt { get; set; }

    public Guid? MovedFromDiaryId { get; set; }

    /// <summary>How many times it was moved (0: never).</summary>
    public int MoveCount { get; set; }

    public bool HoldsTime => !AppointmentStatus.Released.Contains(Status);

    /// <summary>
    /// Releases its time: declined (<see cref="AppointmentEndings.Declined"/>, status <c>declined</c>) or cancelled (any
    /// other ending, status <c>cancelled</c>), by the client or staff, saying how it ended.
    /// </summary>
    public void End(string ended, string by, string? reason, Instant now, Guid? staffId = null)
    {
        CancelledByStaffId = by == "staff" ? staffId : null;
        Status = ended == AppointmentEndings.Declined ? AppointmentStatus.Declined : AppointmentStatus.Cancelled;
        Ended = ended;
        CancelledAt = now;
        CancelledBy = by;
        CancelReason = reason;
        UpdatedAt = now;
    }
}

/// <summary>
/// A cancellation request the client withdrew ("Keep my appointment"), one row per withdrawal: withdrawing clears the
/// appointment's <see cref="Appointment.CancellationRequestedAt"/> (so the client may ask again), and the month report
/// counts every request filed (decision 295), so when it was filed is kept here.
/// </summary>
public sealed class CancellationRequestWithdrawal : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public Guid AppointmentId { get; set; }

    /// <summary>When the withdrawn request was filed (the appointment's <c>cancellation_requested_at</c> then).</summary>
    public Instant RequestedAt { get; set; }

    public Instant WithdrawnAt { get; set; }
}

/// <summary>Diary time that is not a client's: shown to clients only as absence of slots.</summary>
public sealed class BusyBlock : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public Guid DiaryId { get; set; }

    public Instant StartAt { get; set; }

    public Instant EndAt { get; set; }

    public string? Note { get; set; }

    public Instant CreatedAt { get; set; }
}

/// <summary>
/// One Idempotency-Key of one caller (a client or a staff member), kept 24 h: the request's hash and, once done,
/// the answer to replay. The unique key makes two racing first requests resolve to one winner. <see cref="Claim"/>
/// names the request that holds the key (a new one when an abandoned claim is taken over); the booking it makes
/// writes <see cref="AppointmentId"/> in its own transaction, and only while its claim still holds.
/// </summary>
public sealed class IdempotencyRecord : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid CallerId { get; set; }

    public string Key { get; set; } = "";

    public string RequestHash { get; set; } = "";

    public int? StatusCode { get; set; }

    public string? ResponseBody { get; set; }

    public string? Location { get; set; }

    public Instant CreatedAt { get; set; }

    public Guid Claim { get; set; }

    public Guid? AppointmentId { get; set; }
}
