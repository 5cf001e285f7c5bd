using Booking.Appointments.Domain;
using NodaTime;

namespace Booking.Appointments.Tests;

public sealed class SlotMathsTests
{
    private static readonly DateTimeZone Sydney = DateTimeZoneProviders.Tzdb["Australia/Sydney"];
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private static readonly Guid DiaryA = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid DiaryB = Guid.Parse("00000000-0000-0000-0000-00000000000b");

    private static SlotRules Rules(DateTimeZone zone, LocalDateTime now, int interval = 30, int duration = 60, int buffer = 0, int notice = 0, int horizon = 60) =>
        new(zone, now.InZoneStrictly(zone).ToInstant(), interval, notice, horizon, Duration.FromMinutes(duration), Duration.FromMinutes(buffer));

    private static OnlineBlock Block(int fromHour, int fromMinute, int toHour, int toMinute) =>
        new(new LocalTime(fromHour, fromMinute), new LocalTime(toHour, toMinute));

    private static Instant At(DateTimeZone zone, int y, int mo, int d, int h, int mi) =>
        new LocalDateTime(y, mo, d, h, mi).InZoneStrictly(zone).ToInstant();

    private static List<string> Local(DateTimeZone zone, IEnumerable<Slot> slots) =>
        slots.Select(s => s.Start.InZone(zone).ToOffsetDateTime().ToString("HH:mm o<+HH:mm>", null)).ToList();

    [Fact]
    public void Slots_follow_the_grid_from_the_block_start_and_fit_the_block()
    {
        var rules = Rules(Sydney, new LocalDateTime(2026, 6, 1, 7, 0), interval: 15, duration: 15);
        var day = new DiaryDay(DiaryA, new LocalDate(2026, 6, 2), [Block(9, 10, 10, 0)]);

        var slots = SlotMaths.Free(rules, [day], []);

        Assert.Equal(["09:10 +10:00", "09:25 +10:00", "09:40 +10:00"], Local(Sydney, slots));
        Assert.All(slots, s => Assert.Equal(Duration.FromMinutes(15), s.End - s.Start));
    }

    [Fact]
    public void Appointments_and_busy_blocks_remove_every_slot_they_overlap()
    {
        var rules = Rules(Sydney, new LocalDateTime(2026, 6, 1, 7, 0), interval: 30, duration: 60);
        var date = new LocalDate(2026, 6, 2);
        var day = new DiaryDay(DiaryA, date, [Block(9, 0, 13, 0)]);
        BusyTime[] busy =
        [
            new(DiaryA, At(Sydney, 2026, 6, 2, 10, 0), At(Sydney, 2026, 6, 2, 11, 0)), // an appointment
            new(DiaryA, At(Sydney, 2026, 6, 2, 12, 30), At(Sydney, 2026, 6, 2, 12, 45)), // a busy block
            new(DiaryB, At(Sydney, 2026, 6, 2, 9, 0), At(Sydney, 2026, 6, 2, 13, 0)), // another diary's: irrelevant
        ];

        var slots = SlotMaths.Free(rules, [day], busy);

        Assert.Equal(["09:00 +10:00", "11:00 +10:00", "11:30 +10:00"], Local(Sydney, slots));
    }

    [Fact]
    public void Buffers_keep_the_diary_busy_after_an_appointment_both_ways()
    {
        // The new service's own buffer must not run into the next appointment, and an existing appointment's
        // buffer (stored as part of its busy span) blocks the next start.
        var rules = Rules(Sydney, new LocalDateTime(2026, 6, 1, 7, 0), interval: 30, duration: 60, buffer: 15);
        var day = new DiaryDay(DiaryA, new LocalDate(2026, 6, 2), [Block(9, 0, 14, 0)]);
        BusyTime[] busy = [new(DiaryA, At(Sydney, 2026, 6, 2, 11, 0), At(Sydney, 2026, 6, 2, 12, 15))]; // 11–12 + 15 min buffer

        var slots = SlotMaths.Free(rules, [day], busy);

        // 09:30 would occupy until 10:45 (ok); 10:00 until 11:15 (overlaps); 12:00 starts inside the buffer.
        // 13:00 ends at 14:00 with the block; its buffer may run past the online block (it is not bookable time).
        Assert.Equal(["09:00 +10:00", "09:30 +10:00", "12:30 +10:00", "13:00 +10:00"], Local(Sydney, slots));
    }

    [Fact]
    public void Minimum_notice_removes_starts_that_come_too_soon()
    {
        var rules = Rules(Sydney, new LocalDateTime(2026, 6, 2, 8, 50), interval: 30, duration: 30, notice: 60);
        var day = new DiaryDay(DiaryA, new LocalDate(2026, 6, 2), [Block(9, 0, 11, 0)]);

        var slots = SlotMaths.Free(rules, [day], []);

        Assert.Equal(["10:00 +10:00", "10:30 +10:00"], Local(Sydney, slots));
    }

    [Fact]
    public void Horizon_and_the_past_yield_no_slots()
    {
        var rules = Rules(Sydney, new LocalDateTime(2026, 6, 2, 12, 10), interval: 60, duration: 60, horizon: 7);
        OnlineBlock[] blocks = [Block(9, 0, 17, 0)];

        Assert.Empty(SlotMaths.Candidates(rules, new LocalDate(2026, 6, 1), blocks)); // yesterday
        Assert.Equal(4, SlotMaths.Candidates(rules, new LocalDate(2026, 6, 2), blocks).Count); // today from 13:00
        Assert.Equal(8, SlotMaths.Candidates(rules, new LocalDate(2026, 6, 9), blocks).Count); // the horizon's last day
        Assert.Empty(SlotMaths.Candidates(rules, new LocalDate(2026, 6, 10), blocks)); // beyond it
    }

    [Fact]
    public void Any_diary_merges_equal_starts_into_one_slot_listing_every_free_diary()
    {
        var rules = Rules(Sydney, new LocalDateTime(2026, 6, 1, 7, 0), interval: 60, duration: 60);
        var date = new LocalDate(2026, 6, 2);
        DiaryDay[] days = [new(DiaryB, date, [Block(9, 0, 11, 0)]), new(DiaryA, date, [Block(10, 0, 12, 0)])];
        BusyTime[] busy = [new(DiaryA, At(Sydney, 2026, 6, 2, 11, 0), At(Sydney, 2026, 6, 2, 12, 0))];

        var slots = SlotMaths.Free(rules, days, busy);

        Assert.Equal(["09:00 +10:00", "10:00 +10:00"], Local(Sydney, slots));
        Assert.Equal([DiaryB], slots[0].DiaryIds);
        Assert.Equal([DiaryA, DiaryB], slots[1].DiaryIds);
    }

    [Fact]
    public void IsOffered_accepts_grid_starts_only()
    {
        var rules = Rules(Sydney, new LocalDateTime(2026, 6, 1, 7, 0), interval: 30, duration: 60);
        var day = new DiaryDay(DiaryA, new LocalDate(2026, 6, 2), [Block(9, 0, 12, 0)]);

        Assert.True(SlotMaths.IsOffered(rules, day, At(Sydney, 2026, 6, 2, 9, 30)));
        Assert.False(SlotMaths.IsOffered(rules, day, At(Sydney, 2026, 6, 2, 9, 40))); // off the grid
        Assert.False(SlotMaths.IsOffered(rules, day, At(Sydney, 2026, 6, 2, 11, 30))); // runs past the block
        Assert.False(SlotMaths.IsOffered(rules, day, At(Sydney, 2026, 6, 2, 8, 30))); // before the block
        Assert.False(SlotMaths.IsOffered(rules, day, At(Sydney, 2026, 6, 3, 9, 30))); // another date
    }

    [Fact]
    public void London_spring_forward_yields_no_slot_in_the_missing_hour()
    {
        // 2026-03-29: at 01:00 GMT the clocks go to 02:00 BST; local 01:00–01:59 does not exist.
        var rules = Rules(London, new LocalDateTime(2026, 3, 20, 9, 0), interval: 30, duration: 30);
        var day = new DiaryDay(DiaryA, new LocalDate(2026, 3, 29), [Block(0, 0, 4, 0)]);

        var slots = SlotMaths.Free(rules, [day], []);

        Assert.Equal(["00:00 +00:00", "00:30 +00:00", "02:00 +01:00", "02:30 +01:00", "03:00 +01:00", "03:30 +01:00"], Local(London, slots));
        AssertTiled(slots, Duration.FromMinutes(30));
    }

    [Fact]
    public void London_fall_back_offers_the_repeated_hour_once_per_pass_without_duplicates_or_overlaps()
    {
        // 2026-10-25: at 02:00 BST the clocks go back to 01:00 GMT; local 01:00–01:59 happens twice.
        var rules = Rules(London, new LocalDateTime(2026, 10, 20, 9, 0), interval: 60, duration: 60);
        var day = new DiaryDay(DiaryA, new LocalDate(2026, 10, 25), [Block(0, 0, 3, 0)]);

        var slots = SlotMaths.Free(rules, [day], []);

        Assert.Equal(["00:00 +01:00", "01:00 +01:00", "01:00 +00:00", "02:00 +00:00"], Local(London, slots));
        AssertTiled(slots, Duration.FromMinutes(60));
    }

    [Fact]
    public void A_block_ending_where_the_repeated_hour_begins_offers_nothing_past_the_first_time_the_clock_reads_its_end()
    {
        // London 2026-10-25: the block 00:00–01:00 holds no repeated time, so it ends at 01:00 BST, not at 01:00 GMT an hour later.
        var londonDay = new DiaryDay(DiaryA, new LocalDate(2026, 10, 25), [Block(0, 0, 1, 0)]);
        var londonNow = new LocalDateTime(2026, 10, 20, 9, 0);
        Assert.Equal(["00:00 +01:00"], Local(London, SlotMaths.Free(Rules(London, londonNow, interval: 30, duration: 60), [londonDay], [])));
        Assert.Empty(SlotMaths.Free(Rules(London, londonNow, interval: 30, duration: 90), [londonDay], []));

        // Santiago 2026-04-04: midnight turns back to 23:00, so an evening to 23:00 ends at the first 23:00 (-03).
        var santiago = DateTimeZoneProviders.Tzdb["America/Santiago"];
        var evening = new DiaryDay(DiaryA, new LocalDate(2026, 4, 4), [Block(21, 0, 23, 0)]);
        var slots = SlotMaths.Free(Rules(santiago, new LocalDateTime(2026, 4, 1, 9, 0), interval: 30, duration: 60), [evening], []);
        Assert.Equal(["21:00 -03:00", "21:30 -03:00", "22:00 -03:00"], Local(santiago, slots));
    }

    [Fact]
    public void Sydney_spring_forward_skips_the_gap_and_keeps_the_block_real_length()
    {
        // 2026-10-04: at 02:00 AEST the clocks go to 03:00 AEDT.
        var rules = Rules(Sydney, new LocalDateTime(2026, 9, 30, 9, 0), interval: 60, duration: 60);
        var day = new DiaryDay(DiaryA, new LocalDate(2026, 10, 4), [Block(1, 0, 4, 0)]);

        var slots = SlotMaths.Free(rules, [day], []);

        Assert.Equal(["01:00 +10:00", "03:00 +11:00"], Local(Sydney, slots));
        AssertTiled(slots, Duration.FromMinutes(60));
        Assert.All(slots, s => Assert.Single(Sydney.MapLocal(s.Start.InZone(Sydney).LocalDateTime).Count == 1 ? [s] : Array.Empty<Slot>()));
    }

    [Fact]
    public void Sydney_fall_back_gives_a_uniform_grid_across_the_repeated_hour()
    {
        // 2026-04-05: at 03:00 AEDT the clocks go back to 02:00 AEST; 02:00–02:59 happens twice.
        var rules = Rules(Sydney, new LocalDateTime(2026, 4, 1, 9, 0), interval: 30, duration: 60);
        var day = new DiaryDay(DiaryA, new LocalDate(2026, 4, 5), [Block(1, 0, 4, 0)]);

        var slots = SlotMaths.Free(rules, [day], []);

        Assert.Equal(
            ["01:00 +11:00", "01:30 +11:00", "02:00 +11:00", "02:30 +11:00", "02:00 +10:00", "02:30 +10:00", "03:00 +10:00"],
            Local(Sydney, slots));
        Assert.Equal(slots.Count, slots.Select(s => s.Start).Distinct().Count());
        for (var i = 1; i < slots.Count; i++)
        {
            Assert.Equal(Duration.FromMinutes(30), slots[i].Start - slots[i - 1].Start);
        }

        Assert.True(slots[^1].End <= At(Sydney, 2026, 4, 5, 4, 0)); // 04:00 AEST: the block's real end
    }

    [Fact]
    public void Busy_time_in_the_repeated_hour_blocks_only_the_pass_it_belongs_to()
    {
        var rules = Rules(London, new LocalDateTime(2026, 10, 20, 9, 0), interval: 60, duration: 60);
        var day = new DiaryDay(DiaryA, new LocalDate(2026, 10, 25), [Block(0, 0, 3, 0)]);
        var firstPass = new LocalDateTime(2026, 10, 25, 1, 0).InZoneLeniently(London).ToInstant(); // 01:00 BST
        BusyTime[] busy = [new(DiaryA, firstPass, firstPass + Duration.FromHours(1))];

        var slots = SlotMaths.Free(rules, [day], busy);

        Assert.Equal(["00:00 +01:00", "01:00 +00:00", "02:00 +00:00"], Local(London, slots));
    }

    /// <summary>Slots whose duration equals the interval must tile: strictly ascending, none overlapping the next.</summary>
    private static void AssertTiled(List<Slot> slots, Duration duration)
    {
        for (var i = 1; i < slots.Count; i++)
        {
            Assert.True(slots[i].Start >= slots[i - 1].End, $"slot {i} overlaps the one before");
        }

        Assert.All(slots, s => Assert.Equal(duration, s.End - s.Start));
    }
}
