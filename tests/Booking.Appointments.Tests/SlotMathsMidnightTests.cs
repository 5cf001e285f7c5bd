using Booking.Appointments.Domain;
using NodaTime;

namespace Booking.Appointments.Tests;

/// <summary>Blocks that run to 24:00: the end is the start of the next local date in the business's zone.</summary>
public sealed class SlotMathsMidnightTests
{
    private static readonly DateTimeZone Sydney = DateTimeZoneProviders.Tzdb["Australia/Sydney"];

    // Chile moves its clocks at midnight: on 2026-09-06 00:00 becomes 01:00; on 2026-04-05 00:00 becomes 23:00 again.
    private static readonly DateTimeZone Santiago = DateTimeZoneProviders.Tzdb["America/Santiago"];
    private static readonly Guid Diary = Guid.Parse("00000000-0000-0000-0000-00000000000a");

    private static SlotRules Rules(DateTimeZone zone, LocalDateTime now, int interval = 30, int duration = 30) =>
        new(zone, now.InZoneStrictly(zone).ToInstant(), interval, 0, 60, Duration.FromMinutes(duration), Duration.Zero);

    private static OnlineBlock ToMidnight(int fromHour) => OnlineBlock.FromClock(TimeSpan.FromHours(fromHour), TimeSpan.FromDays(1));

    private static List<string> Utc(IEnumerable<Slot> slots) =>
        slots.Select(s => $"{s.Start:HH:mm}-{s.End:HH:mm}").ToList();

    [Fact]
    public void A_block_to_midnight_offers_its_last_slot_ending_at_the_next_days_start()
    {
        var date = new LocalDate(2026, 6, 2);
        var rules = Rules(Sydney, new LocalDateTime(2026, 6, 1, 7, 0));

        var slots = SlotMaths.Free(rules, [new DiaryDay(Diary, date, [ToMidnight(22)])], []);

        var last = slots[^1];
        Assert.Equal(4, slots.Count);
        Assert.Equal(date.At(new LocalTime(23, 30)).InZoneStrictly(Sydney).ToInstant(), last.Start);
        Assert.Equal(date.PlusDays(1).AtStartOfDayInZone(Sydney).ToInstant(), last.End);
        Assert.True(SlotMaths.IsOffered(rules, new DiaryDay(Diary, date, [ToMidnight(22)]), last.Start));
        // A longer service does not run past midnight into the next day.
        Assert.Equal(3, SlotMaths.Free(Rules(Sydney, new LocalDateTime(2026, 6, 1, 7, 0), duration: 60), [new DiaryDay(Diary, date, [ToMidnight(22)])], []).Count);
    }

    [Fact]
    public void A_whole_day_block_offers_every_slot_of_the_day()
    {
        var date = new LocalDate(2026, 6, 2);
        var slots = SlotMaths.Free(Rules(Sydney, new LocalDateTime(2026, 6, 1, 7, 0), interval: 60, duration: 60),
            [new DiaryDay(Diary, date, [OnlineBlock.FromClock(TimeSpan.Zero, TimeSpan.FromDays(1))])], []);

        Assert.Equal(24, slots.Count);
    }

    [Fact]
    public void Where_the_clocks_skip_midnight_the_block_ends_when_they_resume()
    {
        var date = new LocalDate(2026, 9, 5);
        Assert.True(Santiago.MapLocal(date.PlusDays(1).AtMidnight()).Count == 0, "tzdb: 2026-09-06 00:00 is skipped in Santiago");

        var slots = SlotMaths.Free(Rules(Santiago, new LocalDateTime(2026, 9, 1, 7, 0)), [new DiaryDay(Diary, date, [ToMidnight(22)])], []);

        // 22:00–24:00 at -04 is 02:00–04:00 UTC.
        Assert.Equal(["02:00-02:30", "02:30-03:00", "03:00-03:30", "03:30-04:00"], Utc(slots));
    }

    [Fact]
    public void Where_midnight_turns_back_to_23_00_the_block_ends_after_the_repeated_hour()
    {
        var date = new LocalDate(2026, 4, 4);
        Assert.True(Santiago.MapLocal(date.At(new LocalTime(23, 30))).Count == 2, "tzdb: 2026-04-04 23:30 happens twice in Santiago");

        var slots = SlotMaths.Free(Rules(Santiago, new LocalDateTime(2026, 4, 1, 7, 0)), [new DiaryDay(Diary, date, [ToMidnight(22)])], []);

        // 22:00 -03 is 01:00 UTC; 23:00 and 23:30 happen at -03 and again at -04; 24:00 is 04:00 UTC.
        Assert.Equal(["01:00-01:30", "01:30-02:00", "02:00-02:30", "02:30-03:00", "03:00-03:30", "03:30-04:00"], Utc(slots));
    }
}
