using System.Globalization;
using System.Text;
using Booking.Appointments.Data;
using Booking.Appointments.Features.Scheduling;
using Booking.BuildingBlocks.Contracts;
using Booking.BuildingBlocks.Phones;
using Booking.BuildingBlocks.Tenancy;
using Booking.PortalAuth.Contracts;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Booking.Appointments.Features.Reports;

/// <summary>The month's appointments as CSV: its file name and how to write it (after the month was judged valid).</summary>
public sealed record MonthCsvFile(string FileName, Func<Stream, CancellationToken, Task> WriteAsync);

/// <summary><c>GET /api/v1/admin/reports/month.csv</c>: every appointment starting in the month, any status, one row each.</summary>
public sealed record GetMonthAppointmentsCsv(string? Month) : IQuery<MonthCsvFile>;

/// <summary>
/// Streams the rows (decision 275): one ordered query projected to <see cref="CsvSourceRow"/> and read as it comes
/// (<c>AsAsyncEnumerable</c>), never the month's entities at once; the names of each chunk of rows asked of the modules
/// that own them (PortalAuth's clients and pets, Tenancy's staff), services and diaries once.
/// </summary>
public sealed class GetMonthAppointmentsCsvHandler(AppointmentsDbContext db, Schedule schedule, ITenantContext tenant, ISender sender)
    : IQueryHandler<GetMonthAppointmentsCsv, MonthCsvFile>
{
    private static readonly OffsetPattern OffsetText = OffsetPattern.CreateWithInvariantCulture("'UTC'+HH:mm");

    /// <summary>Rows whose names are looked up together (one query per module per chunk).</summary>
    public const int Chunk = 500;

    public static readonly string[] Header =
    [
        "Date", "Start", "End", "UTC offset", "Diary", "Service", "Client", "Client email", "Client phone", "Pet", "Status",
        "How it ended", "Source", "Booked by", "Booked at", "Cancelled by", "Cancelled at", "Cancel reason", "Note", "Price",
        "Currency", "Appointment id",

        // Appended by decision 291 (a sheet built on the columns above keeps working): the end's own offset and the length,
        // the last move, the booking request's decision and the cancellation request's.
        "End UTC offset", "Minutes", "Moved (times)", "Last moved from", "Last moved from diary", "Last moved by", "Last moved at",
        "Request decision", "Request decided by", "Decline reason", "Cancellation requested at", "Cancellation request decision",
        "Cancellation request decided by",

        // Appended by decision 293: the reason staff gave when they kept the appointment (stored from decision 286 on).
        "Cancellation request decline reason",

        // Appended by decision 295: every cancellation request the client filed on it (any month), those they withdrew,
        // and when they last withdrew one.
        "Cancellation requests filed", "Cancellation requests withdrawn", "Cancellation request last withdrawn at",

        // Appended by decision 310: the client's other phone (a landline, decision 292), as the pages write it; "Client
        // phone" stays the mobile, the number texts go to.
        "Client other phone",
    ];

    public ValueTask<MonthCsvFile> Handle(GetMonthAppointmentsCsv query, CancellationToken cancellationToken)
    {
        var month = ReportMonth.Parse(query.Month, schedule.Zone, schedule.Now);
        return ValueTask.FromResult(new MonthCsvFile($"appointments-{month.Text}.csv", (stream, ct) => WriteAsync(month, stream, ct)));
    }

    private async Task WriteAsync(ReportMonth month, Stream stream, CancellationToken ct)
    {
        var business = tenant.Current!;
        var zone = schedule.Zone;
        // UTF-8 with its byte order mark, so Excel reads names as UTF-8; RFC 4180 lines end CRLF.
        await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(Csv.Line(Header));
        var services = (await sender.Send(new GetServices(false), ct)).ToDictionary(s => s.Id, s => s.Name);
        var diaries = (await sender.Send(new GetDiaries(null), ct)).ToDictionary(d => d.Id, d => d.Name);
        var staffNames = new Dictionary<Guid, string>();
        var (start, end) = (month.Start, month.End);
        var rows = db.Appointments.AsNoTracking()
            .Where(a => a.StartAt >= start && a.StartAt < end)
            .OrderBy(a => a.StartAt).ThenBy(a => a.Id)
            .Select(a => new CsvSourceRow(a.Id, a.StartAt, a.EndAt, a.DiaryId, a.ServiceId, a.ClientId, a.PetId, a.Status, a.Ended, a.Source,
                a.BookedByStaffId, a.CreatedAt, a.CancelledBy, a.CancelledByStaffId, a.CancelledAt, a.CancelReason, a.Note, a.PriceAmount, a.PriceCurrency,
                a.MoveCount, a.MovedAt, a.MovedBy, a.MovedByStaffId, a.MovedFromStartAt, a.MovedFromDiaryId,
                a.RequestedAt, a.RequestDecidedByStaffId, a.CancellationRequestedAt, a.CancellationWithdrawnAt, a.CancellationDecidedAt, a.CancellationDecidedByStaffId,
                a.CancellationDeclineReason,
                // Its withdrawn requests (decision 295), through the (tenant, appointment) index; the tenant filter holds here too.
                db.CancellationRequestWithdrawals.Count(w => w.AppointmentId == a.Id),
                db.CancellationRequestWithdrawals.Where(w => w.AppointmentId == a.Id).Max(w => (Instant?)w.RequestedAt),
                db.CancellationRequestWithdrawals.Where(w => w.AppointmentId == a.Id).Max(w => (Instant?)w.WithdrawnAt)))
            .AsAsyncEnumerable();
        var chunk = new List<CsvSourceRow>(Chunk);
        await foreach (var row in rows.WithCancellation(ct))
        {
            chunk.Add(row);
            if (chunk.Count == Chunk)
            {
                await WriteChunkAsync(chunk);
                chunk.Clear();
            }
        }

        await WriteChunkAsync(chunk);
        await writer.FlushAsync(ct);

        async Task WriteChunkAsync(List<CsvSourceRow> these)
        {
            if (these.Count == 0)
            {
                return;
            }

            var clients = (await sender.Send(new GetClients(these.Select(r => r.ClientId).Distinct().ToList()), ct)).ToDictionary(c => c.Id);
            var petIds = these.Select(r => r.PetId).OfType<Guid>().Distinct().ToList();
            var pets = petIds.Count == 0 ? new Dictionary<Guid, string>() : await sender.Send(new GetPetNames(petIds), ct);
            var unknownStaff = these.SelectMany(r => new[] { r.BookedByStaffId, r.CancelledByStaffId, r.MovedByStaffId, r.RequestDecidedByStaffId, r.CancellationDecidedByStaffId }).OfType<Guid>()
                .Where(id => !staffNames.ContainsKey(id)).Distinct().ToList();
            if (unknownStaff.Count > 0)
            {
                foreach (var (id, name) in await sender.Send(new GetStaffNames(unknownStaff), ct))
                {
                    staffNames[id] = name;
                }
            }

            foreach (var r in these)
            {
                var startAt = r.StartAt.InZone(zone);
                var client = clients.GetValueOrDefault(r.ClientId);
                var endAt = r.EndAt.InZone(zone);
                // The cancel columns are for cancels (an appointment, or a request the client withdrew or staff cancelled);
                // a declined booking request is the request columns' (decision 291).
                var cancelled = r.Status == "cancelled";
                var request = RequestDecision(r);
                var cancellation = CancellationDecision(r);
                // Withdrawn before its filed time was kept: one withdrawal known, when it was filed not (decision 295).
                var withdrawals = r.Withdrawals > 0 ? r.Withdrawals : r.CancellationRequestedAt is null && r.CancellationWithdrawnAt is not null ? 1 : 0;
                // The request the decision column is about: the open or decided one, else the last one withdrawn.
                var filedAt = r.CancellationRequestedAt ?? (r.CancellationWithdrawnAt is null ? null : r.LastWithdrawnRequestAt);
                await writer.WriteLineAsync(Csv.Line(
                [
                    startAt.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    startAt.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture),
                    endAt.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture),
                    OffsetText.Format(startAt.Offset),
                    diaries.GetValueOrDefault(r.DiaryId, GetMonthReportHandler.RemovedDiary),
                    services.GetValueOrDefault(r.ServiceId, ""),
                    client?.FullName ?? "",
                    client?.Email ?? "",
                    PhoneDisplay.Format(client?.Mobile, business.CountryCode) ?? "",
                    r.PetId is { } pet ? pets.GetValueOrDefault(pet, "") : "",
                    r.Status,
                    r.Ended ?? "",
                    r.Source,
                    r.Source == "portal" ? "client" : Staff(r.BookedByStaffId),
                    Local(r.CreatedAt),
                    !cancelled ? "" : r.CancelledBy == "staff" ? Staff(r.CancelledByStaffId) : r.CancelledBy ?? "",
                    cancelled && r.CancelledAt is { } cancelledAt ? Local(cancelledAt) : "",
                    cancelled ? r.CancelReason ?? "" : "",
                    r.Note ?? "",
                    r.PriceAmount is { } amount && r.PriceCurrency is { } currency ? new Money(amount, currency).Format() : "",
                    r.PriceCurrency ?? "",
                    r.Id.ToString(),
                    OffsetText.Format(endAt.Offset),
                    ((long)(r.EndAt - r.StartAt).TotalMinutes).ToString(CultureInfo.InvariantCulture),
                    r.MoveCount.ToString(CultureInfo.InvariantCulture),
                    r.MovedFromStartAt is { } from ? Local(from) : "",
                    r.MovedFromDiaryId is { } fromDiary ? diaries.GetValueOrDefault(fromDiary, GetMonthReportHandler.RemovedDiary) : "",
                    r.MovedBy is null ? "" : r.MovedBy == "staff" ? Staff(r.MovedByStaffId) : r.MovedBy,
                    r.MovedAt is { } movedAt ? Local(movedAt) : "",
                    request ?? "",
                    request is "accepted" or "declined" ? Staff(r.RequestDecidedByStaffId ?? (request == "declined" ? r.CancelledByStaffId : null)) : "",
                    request == "declined" ? r.CancelReason ?? "" : "",
                    filedAt is { } asked ? Local(asked) : "",
                    cancellation ?? "",
                    cancellation is "accepted" or "declined" ? Staff(r.CancellationDecidedByStaffId) : "",
                    cancellation == "declined" ? r.CancellationDeclineReason ?? "" : "",
                    (withdrawals + (r.CancellationRequestedAt is null ? 0 : 1)).ToString(CultureInfo.InvariantCulture),
                    withdrawals.ToString(CultureInfo.InvariantCulture),
                    (r.LastWithdrawnAt ?? r.CancellationWithdrawnAt) is { } withdrawnAt ? Local(withdrawnAt) : "",
                    PhoneDisplay.Format(client?.OtherPhone, business.CountryCode) ?? "",
                ]));
            }

            await writer.FlushAsync(ct);
        }

        // A staff member's name; "staff" when not kept (rows from before session 33) or no longer on the team.
        string Staff(Guid? id) => id is { } s && staffNames.TryGetValue(s, out var name) ? name : "staff";

        // What became of its booking request (null: it was booked directly, never a request).
        static string? RequestDecision(CsvSourceRow r) => r.RequestedAt is null ? null : (r.Status, r.Ended) switch
        {
            ("requested", _) => "waiting",
            (_, "declined") => "declined",
            (_, "withdrawn") => "withdrawn by the client",
            (_, "request-cancelled") => "cancelled by staff",
            _ => "accepted",
        };

        // What became of its latest cancellation request, as the report counts it (GetMonthReportHandler); one withdrawn
        // and not asked again reads withdrawn. Null: the client never asked.
        static string? CancellationDecision(CsvSourceRow r) => r.CancellationRequestedAt is null
            ? r.CancellationWithdrawnAt is null ? null : "withdrawn by the client"
            : r.Status == "cancellation-requested" ? "waiting"
            : r.Ended == "cancelled" && r.CancelledBy == "client" ? "accepted"
            : r.CancellationDecidedAt is not null || r.Ended is null ? "declined"
            : "cancelled by staff";

        string Local(Instant at) => at.InZone(zone).LocalDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }
}

/// <summary>What one CSV row reads of an appointment: its columns, not the entity.</summary>
public sealed record CsvSourceRow(
    Guid Id, Instant StartAt, Instant EndAt, Guid DiaryId, Guid ServiceId, Guid ClientId, Guid? PetId, string Status, string? Ended, string Source,
    Guid? BookedByStaffId, Instant CreatedAt, string? CancelledBy, Guid? CancelledByStaffId, Instant? CancelledAt, string? CancelReason, string? Note,
    decimal? PriceAmount, string? PriceCurrency,
    int MoveCount, Instant? MovedAt, string? MovedBy, Guid? MovedByStaffId, Instant? MovedFromStartAt, Guid? MovedFromDiaryId,
    Instant? RequestedAt, Guid? RequestDecidedByStaffId, Instant? CancellationRequestedAt, Instant? CancellationWithdrawnAt,
    Instant? CancellationDecidedAt, Guid? CancellationDecidedByStaffId, string? CancellationDeclineReason,
    int Withdrawals, Instant? LastWithdrawnRequestAt, Instant? LastWithdrawnAt);

/// <summary>RFC 4180 fields, guarded against formula injection (OWASP "CSV injection").</summary>
public static class Csv
{
    /// <summary>A cell a spreadsheet would read as a formula (or whose leading tab or CR hides one) starts with these.</summary>
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    public static string Line(IEnumerable<string> fields) => string.Join(",", fields.Select(Field));

    /// <summary>Prefixed with <c>'</c> when it starts like a formula; quoted (quotes doubled) when it holds a comma, quote, CR or LF.</summary>
    public static string Field(string value)
    {
        if (value.Length > 0 && FormulaStarts.Contains(value[0]))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
