using System.Globalization;
using System.Text.RegularExpressions;
using Booking.Appointments.Data;
using Booking.Appointments.Features.Scheduling;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.Roster.Contracts;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Booking.Appointments.Features.Reports;

/// <summary>An amount of money on the wire, as a price is written (<see cref="Money.Format"/>: "45.00", JPY "1500").</summary>
public sealed record ReportMoney(string Amount, string Currency)
{
    public static ReportMoney Of(decimal amount, string currency) => new(new Money(amount, currency).Format(), currency);

    public Money ToMoney() => new(decimal.Parse(Amount, CultureInfo.InvariantCulture), Currency);
}

/// <summary>
/// One diary's month, or the whole business's (<see cref="MonthReportView.Total"/>). What each figure counts (decision 275):
/// appointments that START in the month in the business's zone, by their status now; booking requests FILED in the month.
/// </summary>
public class MonthFigures
{
    /// <summary>Appointments held: confirmed, cancellation requested, completed or no-show (not cancelled, declined or still a request).</summary>
    public int Appointments { get; set; }

    public int Completed { get; set; }

    public int NoShows { get; set; }

    /// <summary>Held but not marked yet: confirmed, or with a cancellation request waiting.</summary>
    public int StillConfirmed { get; set; }

    /// <summary>Booked appointments cancelled by the client (their cancel, or their cancellation request accepted).</summary>
    public int CancelledByClient { get; set; }

    public int CancelledByStaff { get; set; }

    /// <summary>
    /// Of the cancelled ones (either side), those cancelled inside the window the appointment kept (decision 270):
    /// cancelled less than its <c>cancellation_hours</c> before its start.
    /// </summary>
    public int CancelledInsideWindow { get; set; }

    /// <summary>Booking requests filed in the month (whenever they start).</summary>
    public int RequestsReceived { get; set; }

    /// <summary>Of those, accepted by staff (even if cancelled since).</summary>
    public int RequestsAccepted { get; set; }

    public int RequestsDeclined { get; set; }

    /// <summary>Withdrawn by the client before staff decided.</summary>
    public int RequestsWithdrawn { get; set; }

    /// <summary>Cancelled by staff before anyone accepted them.</summary>
    public int RequestsCancelledByStaff { get; set; }

    /// <summary>Still waiting for a decision.</summary>
    public int RequestsWaiting { get; set; }

    /// <summary>
    /// Of the appointments starting in the month (any status now), those moved to another time or diary before (decision
    /// 282; decision 291): only each appointment's last move is stored, so "by" is who moved it last.
    /// </summary>
    public int Moved { get; set; }

    public int MovedByClient { get; set; }

    public int MovedByStaff { get; set; }

    /// <summary>How many moves those appointments had in all (each row keeps its own count).</summary>
    public int Moves { get; set; }

    /// <summary>
    /// Cancellation requests FILED in the month (a client asking to cancel inside the window, decision 276), every one,
    /// by what became of it: accepted + declined + withdrawn + cancelled by staff + waiting (decision 295). A request
    /// filed, withdrawn and filed again is two. Withdrawals from before their filed time was kept are in none of these.
    /// </summary>
    public int CancellationRequestsReceived { get; set; }

    /// <summary>Accepted by staff: the appointment was cancelled as the client asked.</summary>
    public int CancellationRequestsAccepted { get; set; }

    /// <summary>Declined by staff: the appointment stood (whatever became of it since).</summary>
    public int CancellationRequestsDeclined { get; set; }

    /// <summary>Withdrawn by the client before staff decided (Keep my appointment), counted in the month it was filed.</summary>
    public int CancellationRequestsWithdrawn { get; set; }

    /// <summary>Answered by staff cancelling the appointment themselves (from the diary) without deciding the request.</summary>
    public int CancellationRequestsCancelledByStaff { get; set; }

    public int CancellationRequestsWaiting { get; set; }

    /// <summary>Clients whose first held appointment (ever, any diary) starts in the month; counted in that appointment's diary.</summary>
    public int NewClients { get; set; }

    /// <summary>No-shows ÷ (completed + no-shows), 0–1 to four places; null when nothing was marked.</summary>
    public decimal? NoShowRate { get; set; }

    /// <summary>
    /// The kept prices (decision 270) of the completed and still-confirmed appointments; null when there were held
    /// appointments but none with a recorded price. No-shows are not in it (<see cref="NoShowValue"/>).
    /// </summary>
    public ReportMoney? Takings { get; set; }

    public ReportMoney? TakingsCompleted { get; set; }

    public ReportMoney? TakingsStillConfirmed { get; set; }

    /// <summary>The kept prices of the no-shows: what was booked and not taken.</summary>
    public ReportMoney? NoShowValue { get; set; }

    /// <summary>Held appointments with no recorded price (booked before prices were kept): not in any sum.</summary>
    public int Unpriced { get; set; }
}

public sealed class DiaryMonthFigures : MonthFigures
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";
}

/// <summary><c>GET /api/v1/admin/reports/month</c>: the month (<c>YYYY-MM</c>), the business's zone and currency, each diary's figures and the total.</summary>
public sealed record MonthReportView(string Month, string TimeZone, string Currency, IReadOnlyList<DiaryMonthFigures> Diaries, MonthFigures Total);

/// <summary>A month of the business: owners and admins only (decision 275).</summary>
public sealed record GetMonthReport(string? Month) : IQuery<MonthReportView>;

/// <summary>The month a report asks for and its instants: local midnight on the 1st to local midnight on the next 1st.</summary>
public sealed record ReportMonth(YearMonth Month, Instant Start, Instant End)
{
    private static readonly Regex Shape = new(@"^([0-9]{4})-([0-9]{2})\z", RegexOptions.CultureInvariant);

    public const string ShapeMessage = "Give a month as YYYY-MM, for example 2026-11.";

    public const string WindowMessage = "Give a month within 10 years of today.";

    public string Text => Month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The month asked for (none or empty: the current month in the zone); anything else is 400 <c>validation</c> on <c>month</c>.</summary>
    public static ReportMonth Parse(string? text, DateTimeZone zone, Instant now)
    {
        var today = now.InZone(zone).Date;
        YearMonth month;
        if (string.IsNullOrEmpty(text))
        {
            month = today.ToYearMonth();
        }
        else if (Shape.Match(text) is { Success: true } m
                 && int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) is >= 1 and <= 12 and var monthNumber)
        {
            month = new YearMonth(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), monthNumber);
        }
        else
        {
            throw new ValidationException([new ValidationFailure("month", ShapeMessage)]);
        }

        var (first, last) = StaffWindow.Dates(zone, now);
        if (month.OnDayOfMonth(1) > last || month.OnDayOfMonth(month.Calendar.GetDaysInMonth(month.Year, month.Month)) < first)
        {
            throw new ValidationException([new ValidationFailure("month", WindowMessage)]);
        }

        // AtStartOfDayInZone: a zone whose clocks skip midnight starts the day at the first instant that exists.
        return new ReportMonth(month,
            month.OnDayOfMonth(1).AtStartOfDayInZone(zone).ToInstant(),
            month.PlusMonths(1).OnDayOfMonth(1).AtStartOfDayInZone(zone).ToInstant());
    }
}

/// <summary>
/// Four statements, each aggregated in PostgreSQL by diary (decision 275): the appointments starting in the month (and
/// their moves), the booking requests filed in it, the cancellation requests filed in it, and the new
/// clients. The names of the diaries from Roster's contracts.
/// </summary>
public sealed class GetMonthReportHandler(AppointmentsDbContext db, Schedule schedule, ITenantContext tenant, ISender sender)
    : IQueryHandler<GetMonthReport, MonthReportView>
{
    /// <summary>How the report names a diary Roster no longer has (its appointments keep their figures).</summary>
    public const string RemovedDiary = "(a diary no longer on file)";

    public async ValueTask<MonthReportView> Handle(GetMonthReport query, CancellationToken cancellationToken)
    {
        var business = tenant.Current!;
        var month = ReportMonth.Parse(query.Month, schedule.Zone, schedule.Now);
        var (start, end, tenantId, currency) = (month.Start, month.End, business.Id, business.Currency);

        // The query filter does not reach raw SQL: each statement names the tenant (row-level security holds it too).
        // Held: confirmed, cancellation-requested, completed, no-show (booked and not cancelled; a waiting request is no
        // appointment yet). Sums only prices kept in the business's currency; the rest count as unpriced.
        var appointments = await db.Database.SqlQuery<AppointmentFiguresRow>($"""
            SELECT diary_id,
                   count(*) FILTER (WHERE status IN ('confirmed', 'cancellation-requested', 'completed', 'no-show')) AS held,
                   count(*) FILTER (WHERE status = 'completed') AS completed,
                   count(*) FILTER (WHERE status = 'no-show') AS no_shows,
                   count(*) FILTER (WHERE status IN ('confirmed', 'cancellation-requested')) AS still_confirmed,
                   count(*) FILTER (WHERE ended = 'cancelled' AND cancelled_by = 'client') AS cancelled_by_client,
                   count(*) FILTER (WHERE ended = 'cancelled' AND cancelled_by = 'staff') AS cancelled_by_staff,
                   count(*) FILTER (WHERE ended = 'cancelled' AND cancellation_hours IS NOT NULL
                                      AND cancelled_at > start_at - make_interval(hours => cancellation_hours)) AS cancelled_inside_window,
                   count(*) FILTER (WHERE status IN ('confirmed', 'cancellation-requested', 'completed', 'no-show')
                                      AND (price_amount IS NULL OR price_currency IS DISTINCT FROM {currency})) AS unpriced,
                   coalesce(sum(price_amount) FILTER (WHERE status = 'completed' AND price_currency = {currency}), 0) AS completed_amount,
                   coalesce(sum(price_amount) FILTER (WHERE status IN ('confirmed', 'cancellation-requested') AND price_currency = {currency}), 0) AS still_confirmed_amount,
                   coalesce(sum(price_amount) FILTER (WHERE status = 'no-show' AND price_currency = {currency}), 0) AS no_show_amount,
                   count(*) FILTER (WHERE move_count > 0) AS moved,
                   count(*) FILTER (WHERE move_count > 0 AND moved_by = 'client') AS moved_by_client,
                   count(*) FILTER (WHERE move_count > 0 AND moved_by = 'staff') AS moved_by_staff,
                   coalesce(sum(move_count), 0) AS moves
              FROM appointments.appointments
             WHERE tenant_id = {tenantId} AND start_at >= {start} AND start_at < {end}
             GROUP BY diary_id
            """).ToListAsync(cancellationToken);
        var requests = await db.Database.SqlQuery<RequestFiguresRow>($"""
            SELECT diary_id,
                   count(*) AS received,
                   count(*) FILTER (WHERE status IN ('confirmed', 'cancellation-requested', 'completed', 'no-show') OR ended = 'cancelled') AS accepted,
                   count(*) FILTER (WHERE ended = 'declined') AS declined,
                   count(*) FILTER (WHERE ended = 'withdrawn') AS withdrawn,
                   count(*) FILTER (WHERE ended = 'request-cancelled') AS cancelled_by_staff,
                   count(*) FILTER (WHERE status = 'requested') AS waiting
              FROM appointments.appointments
             WHERE tenant_id = {tenantId} AND requested_at >= {start} AND requested_at < {end}
             GROUP BY diary_id
            """).ToListAsync(cancellationToken);
        // Cancellation requests filed in the month (decision 291), every one (decision 295): the appointments' open or
        // decided request, and each one the client withdrew (whose filed time withdrawing moved to
        // cancellation_request_withdrawals), in the diary the appointment has now. Accepting one ends the appointment as the
        // client's cancel (decision 276), and once one was filed the client can no longer cancel it themselves, so a
        // client's cancel is the acceptance; staff cancelling it with no decision kept answered it themselves; the rest
        // stood: declined (a row from before decisions were kept has no decided time, and one still holding its time was
        // declined).
        var cancellationRequests = await db.Database.SqlQuery<CancellationRequestFiguresRow>($"""
            SELECT diary_id,
                   count(*) AS received,
                   count(*) FILTER (WHERE outcome = 'accepted') AS accepted,
                   count(*) FILTER (WHERE outcome = 'declined') AS declined,
                   count(*) FILTER (WHERE outcome = 'withdrawn') AS withdrawn,
                   count(*) FILTER (WHERE outcome = 'cancelled-by-staff') AS cancelled_by_staff,
                   count(*) FILTER (WHERE outcome = 'waiting') AS waiting
              FROM (SELECT diary_id,
                           CASE WHEN status = 'cancellation-requested' THEN 'waiting'
                                WHEN ended = 'cancelled' AND cancelled_by = 'client' THEN 'accepted'
                                WHEN cancellation_decided_at IS NOT NULL OR ended IS NULL THEN 'declined'
                                WHEN ended = 'cancelled' AND cancelled_by = 'staff' THEN 'cancelled-by-staff'
                           END AS outcome
                      FROM appointments.appointments
                     WHERE tenant_id = {tenantId} AND cancellation_requested_at >= {start} AND cancellation_requested_at < {end}
                    UNION ALL
                    SELECT a.diary_id, 'withdrawn'
                      FROM appointments.cancellation_request_withdrawals AS w
                      JOIN appointments.appointments AS a ON a.tenant_id = w.tenant_id AND a.id = w.appointment_id
                     WHERE w.tenant_id = {tenantId} AND w.requested_at >= {start} AND w.requested_at < {end}) AS filed
             GROUP BY diary_id
            """).ToListAsync(cancellationToken);
        // A client's first held appointment: none of theirs held starts before it (the id breaks a tie), so each new
        // client counts once, in one diary.
        var newClients = await db.Database.SqlQuery<NewClientsRow>($"""
            SELECT a.diary_id, count(*) AS new_clients
              FROM appointments.appointments AS a
             WHERE a.tenant_id = {tenantId} AND a.start_at >= {start} AND a.start_at < {end}
               AND a.status IN ('confirmed', 'cancellation-requested', 'completed', 'no-show')
               AND NOT EXISTS (
                   SELECT 1 FROM appointments.appointments AS b
                    WHERE b.tenant_id = a.tenant_id AND b.client_id = a.client_id
                      AND b.status IN ('confirmed', 'cancellation-requested', 'completed', 'no-show')
                      AND (b.start_at < a.start_at OR (b.start_at = a.start_at AND b.id < a.id)))
             GROUP BY a.diary_id
            """).ToListAsync(cancellationToken);

        var counted = appointments.Select(r => r.DiaryId).Concat(requests.Select(r => r.DiaryId)).Concat(newClients.Select(r => r.DiaryId))
            .Concat(cancellationRequests.Select(r => r.DiaryId)).ToHashSet();
        var diaries = await sender.Send(new GetDiaries(null), cancellationToken);
        var named = diaries.ToDictionary(d => d.Id);
        // Every active diary (zeros too) and any other with figures; a diary no longer on file keeps its figures.
        var shown = diaries.Where(d => d.Active || counted.Contains(d.Id)).Select(d => d.Id)
            .Concat(counted.Where(id => !named.ContainsKey(id))).Distinct();
        var rows = shown.Select(id =>
            {
                var figures = new DiaryMonthFigures { Id = id, Name = named.TryGetValue(id, out var d) ? d.Name : RemovedDiary };
                Fill(figures, currency,
                    appointments.Where(r => r.DiaryId == id).ToList(),
                    requests.Where(r => r.DiaryId == id).ToList(),
                    newClients.Where(r => r.DiaryId == id).ToList(),
                    cancellationRequests.Where(r => r.DiaryId == id).ToList());
                return figures;
            })
            .OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Id).ToList();
        var total = new MonthFigures();
        Fill(total, currency, appointments, requests, newClients, cancellationRequests);
        return new MonthReportView(month.Text, schedule.Zone.Id, currency, rows, total);
    }

    /// <summary>The figures of these rows (one diary's, or all of them for the total).</summary>
    private static void Fill(MonthFigures f, string currency, List<AppointmentFiguresRow> a, List<RequestFiguresRow> r, List<NewClientsRow> n,
        List<CancellationRequestFiguresRow> c)
    {
        f.Appointments = (int)a.Sum(x => x.Held);
        f.Completed = (int)a.Sum(x => x.Completed);
        f.NoShows = (int)a.Sum(x => x.NoShows);
        f.StillConfirmed = (int)a.Sum(x => x.StillConfirmed);
        f.CancelledByClient = (int)a.Sum(x => x.CancelledByClient);
        f.CancelledByStaff = (int)a.Sum(x => x.CancelledByStaff);
        f.CancelledInsideWindow = (int)a.Sum(x => x.CancelledInsideWindow);
        f.Unpriced = (int)a.Sum(x => x.Unpriced);
        f.RequestsReceived = (int)r.Sum(x => x.Received);
        f.RequestsAccepted = (int)r.Sum(x => x.Accepted);
        f.RequestsDeclined = (int)r.Sum(x => x.Declined);
        f.RequestsWithdrawn = (int)r.Sum(x => x.Withdrawn);
        f.RequestsCancelledByStaff = (int)r.Sum(x => x.CancelledByStaff);
        f.RequestsWaiting = (int)r.Sum(x => x.Waiting);
        f.NewClients = (int)n.Sum(x => x.NewClients);
        f.Moved = (int)a.Sum(x => x.Moved);
        f.MovedByClient = (int)a.Sum(x => x.MovedByClient);
        f.MovedByStaff = (int)a.Sum(x => x.MovedByStaff);
        f.Moves = (int)a.Sum(x => x.Moves);
        f.CancellationRequestsReceived = (int)c.Sum(x => x.Received);
        f.CancellationRequestsAccepted = (int)c.Sum(x => x.Accepted);
        f.CancellationRequestsDeclined = (int)c.Sum(x => x.Declined);
        f.CancellationRequestsWithdrawn = (int)c.Sum(x => x.Withdrawn);
        f.CancellationRequestsCancelledByStaff = (int)c.Sum(x => x.CancelledByStaff);
        f.CancellationRequestsWaiting = (int)c.Sum(x => x.Waiting);
        var marked = f.Completed + f.NoShows;
        f.NoShowRate = marked == 0 ? null : Math.Round((decimal)f.NoShows / marked, 4, MidpointRounding.AwayFromZero);
        // "—" rather than a guess: appointments held, and not one with a price kept.
        if (f.Appointments > 0 && f.Unpriced == f.Appointments)
        {
            return;
        }

        var completed = a.Sum(x => x.CompletedAmount);
        var confirmed = a.Sum(x => x.StillConfirmedAmount);
        f.Takings = ReportMoney.Of(completed + confirmed, currency);
        f.TakingsCompleted = ReportMoney.Of(completed, currency);
        f.TakingsStillConfirmed = ReportMoney.Of(confirmed, currency);
        f.NoShowValue = ReportMoney.Of(a.Sum(x => x.NoShowAmount), currency);
    }
}

// The statements' rows (columns by the context's snake_case convention).

public sealed class AppointmentFiguresRow
{
    public Guid DiaryId { get; set; }

    public long Held { get; set; }

    public long Completed { get; set; }

    public long NoShows { get; set; }

    public long StillConfirmed { get; set; }

    public long CancelledByClient { get; set; }

    public long CancelledByStaff { get; set; }

    public long CancelledInsideWindow { get; set; }

    public long Unpriced { get; set; }

    public decimal CompletedAmount { get; set; }

    public decimal StillConfirmedAmount { get; set; }

    public decimal NoShowAmount { get; set; }

    public long Moved { get; set; }

    public long MovedByClient { get; set; }

    public long MovedByStaff { get; set; }

    public long Moves { get; set; }
}

public sealed class RequestFiguresRow
{
    public Guid DiaryId { get; set; }

    public long Received { get; set; }

    public long Accepted { get; set; }

    public long Declined { get; set; }

    public long Withdrawn { get; set; }

    public long CancelledByStaff { get; set; }

    public long Waiting { get; set; }
}

public sealed class NewClientsRow
{
    public Guid DiaryId { get; set; }

    public long NewClients { get; set; }
}

public sealed class CancellationRequestFiguresRow
{
    public Guid DiaryId { get; set; }

    public long Received { get; set; }

    public long Accepted { get; set; }

    public long Declined { get; set; }

    public long Withdrawn { get; set; }

    public long CancelledByStaff { get; set; }

    public long Waiting { get; set; }
}
