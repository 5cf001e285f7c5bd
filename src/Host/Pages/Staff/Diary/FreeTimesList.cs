using System.Globalization;
using Booking.Appointments.Features.Availability;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Mediator;
using NodaTime;

namespace Booking.Host.Pages.Staff.Diary;

/// <summary>
/// The free start times of one service on one date, for one diary or per diary for any (GetStaffAvailability, decision
/// 278): the model of <c>_FreeTimes.cshtml</c>. A page makes it with <see cref="LoadAsync"/> from (service, diary, date)
/// and says which of its forms the buttons submit: each time posts <see cref="PickName"/> = <see cref="FreeTime.Value"/>
/// to <see cref="PickAction"/>; the previous/next day buttons post <see cref="DayName"/> = a date to <see cref="DayAction"/>.
/// Given the business's name, a day with no free times that the business is closed says so with the closure's label.
/// </summary>
public sealed record FreeTimesList
{
    public const string PickName = "pick";

    public const string DayName = "day";

    public required ServiceView Service { get; init; }

    /// <summary>The diary asked about; null = any diary providing the service.</summary>
    public Guid? DiaryId { get; init; }

    public string DiaryName { get; init; } = "Any diary";

    public LocalDate Date { get; init; }

    /// <summary>The length the times are for: the service's, or a moving appointment's own (decision 294).</summary>
    public int Minutes { get; init; }

    public required DiaryTime Time { get; init; }

    /// <summary>Per diary (one when a diary was asked about), in name order; diaries with no free time left out.</summary>
    public IReadOnlyList<FreeTimesOfDiary> Diaries { get; init; } = [];

    /// <summary>Why there are none, in plain words, when there are none.</summary>
    public string? None { get; init; }

    /// <summary>The id of the form the buttons submit, and the addresses they post to.</summary>
    public required string Form { get; init; }

    public required string PickAction { get; init; }

    public required string DayAction { get; init; }

    /// <summary>Whether any time listed is one a client could not book online (the list's legend says what the mark means).</summary>
    public bool AnyStaffOnly => Diaries.Any(d => d.Parts.Any(p => p.Times.Any(t => !t.OfferedOnline && !t.Current)));

    public bool HasPreviousDay => Date > Time.Today;

    public static async Task<FreeTimesList> LoadAsync(ISender sender, DiaryTime time, ServiceView service, Guid? diaryId, LocalDate date,
        IReadOnlyList<DiaryView> diaries, string form, string pickAction, string dayAction, CancellationToken ct, MovingAppointment? moving = null,
        string? business = null)
    {
        var names = diaries.ToDictionary(d => d.Id, d => d.Name);
        var kinds = diaries.ToDictionary(d => d.Id, d => d.Kind);
        var list = new FreeTimesList
        {
            Service = service, DiaryId = diaryId, Date = date, Time = time, Form = form, PickAction = pickAction, DayAction = dayAction,
            Minutes = moving?.Minutes ?? service.DurationMinutes,
            DiaryName = diaryId is { } id ? names.GetValueOrDefault(id, "This diary") : "Any diary",
        };
        if (date < time.Today)
        {
            return list with { None = "This day has passed: no free times." };
        }

        var iso = DiaryTime.Iso(date);
        var view = await sender.Send(new GetStaffAvailability(service.Id.ToString(), diaryId?.ToString() ?? "any", iso, iso) { Moving = moving?.Id }, ct);
        var perDiary = view.Slots
            .SelectMany(s => s.DiaryIds.Select(d => (DiaryId: d, Time: new FreeTime(s.Start, time.TimeOf(s.Start), s.OnlineDiaryIds.Contains(d),
                string.Create(CultureInfo.InvariantCulture, $"{d:N}.{s.Start.ToUnixTimeSeconds()}"))
            {
                Current = moving is { } m && m.DiaryId == d && m.Start == s.Start,
            })))
            .GroupBy(x => x.DiaryId)
            .Select(g => new FreeTimesOfDiary(g.Key, names.GetValueOrDefault(g.Key, "Diary"), Parts(time, g.Select(x => x.Time).ToList()))
            {
                Kind = kinds.GetValueOrDefault(g.Key, DiaryKinds.Person),
            })
            .OrderBy(d => d.DiaryName, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
        if (perDiary.Count == 0)
        {
            // The whole business closed that day (Setup → Roster): said with staff's own label, not "closed, fully booked…".
            if (business is not null
                && (await sender.Send(new GetBusinessClosedDays(date.ToDateOnly(), date.ToDateOnly()), ct)).FirstOrDefault() is { } closed)
            {
                return list with { None = $"No free times on this day: {business} is closed{(string.IsNullOrWhiteSpace(closed.Label) ? "" : $" ({closed.Label.Trim()})")}." };
            }

            return list with
            {
                None = date == time.Today
                    ? $"No free times left today for {service.Name} ({list.DiaryName})."
                    : moving is { } m
                    ? $"No free times on this day for this {m.Minutes}-minute appointment ({list.DiaryName}): closed, fully booked, or no gap that long on the slot grid."
                    : $"No free times on this day for {service.Name} ({list.DiaryName}): closed, fully booked, or no gap of {service.DurationMinutes + Math.Max(0, service.BufferAfterMinutes)} minutes on the slot grid.",
            };
        }

        return list with { Diaries = perDiary };
    }

    /// <summary>Morning (before 12:00), afternoon (before 17:00) and evening, by the business's clock; empty parts left out.</summary>
    private static List<FreeTimesPart> Parts(DiaryTime time, List<FreeTime> times) =>
        times.GroupBy(t => Instant.FromDateTimeOffset(t.Start).InZone(time.Zone).Hour switch { < 12 => "Morning", < 17 => "Afternoon", _ => "Evening" })
            .Select(g => new FreeTimesPart(g.Key, g.OrderBy(t => t.Start).ToList()))
            .ToList();

    /// <summary>
    /// A posted <see cref="FreeTime.Value"/>: the diary and the start (an instant, so a time the clocks repeat is the one
    /// shown). Null when it is not one.
    /// </summary>
    public static (Guid DiaryId, DateTimeOffset Start)? ParsePick(string? value)
    {
        var parts = value?.Split('.');
        if (parts is not { Length: 2 } || !Guid.TryParseExact(parts[0], "N", out var diary)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.AddDays(-2).ToUnixTimeSeconds())
        {
            return null;
        }

        return (diary, DateTimeOffset.FromUnixTimeSeconds(seconds));
    }
}

/// <summary>
/// The appointment a list is for when it is being moved (decision 294): its own length and buffer as booked decide the
/// times, not the service's current ones; its own time is not taken (decision 308). Minutes: its length, for the list's
/// words. Start and DiaryId: where it is now, the one time listed that is no move (<see cref="FreeTime.Current"/>).
/// </summary>
public sealed record MovingAppointment(Guid Id, int Minutes, DateTimeOffset Start, Guid DiaryId);

public sealed record FreeTimesOfDiary(Guid DiaryId, string DiaryName, IReadOnlyList<FreeTimesPart> Parts)
{
    /// <summary>The diary's kind (decision 280): a time's name reads "9:00 AM with Anna" or "9:00 AM — Room Two" (decision 292).</summary>
    public string Kind { get; init; } = DiaryKinds.Person;

    /// <summary>"with Anna" or "— Room Two".</summary>
    public string With => DiaryKinds.With(Kind, DiaryName);
}

public sealed record FreeTimesPart(string Name, IReadOnlyList<FreeTime> Times);

/// <summary>A free start: its label ("9:30 AM", "01:30 GMT" on a day the clocks change), whether clients could book it online, the posted value.</summary>
public sealed record FreeTime(DateTimeOffset Start, string Label, bool OfferedOnline, string Value)
{
    /// <summary>
    /// The moving appointment's own start in its own diary (decision 308): listed, marked "current time", not a button, since
    /// choosing it moves nothing; it shows where the appointment sits among the times around it.
    /// </summary>
    public bool Current { get; init; }
}
