using Booking.Appointments.Domain;
using NodaTime;

namespace Booking.Appointments.Tests;

/// <summary>
/// <see cref="SlotMaths.OpenAfterNotice"/>: some online block of a day within the horizon still runs after the end of the
/// minimum notice, whether or not a start of the service fits it (readiness's <c>hours-too-short</c> against
/// <c>no-online-hours</c>). The notice is elapsed time from now; a block ends (exclusive) where the availability's
/// candidates end it: a local end in a spring-forward gap when the clocks resume (the block keeps its length), one in a
/// repeated hour at its later pass, one where the repeated hour begins when the clock first reaches it.
/// </summary>
public sealed class SlotMathsOpenAfterNoticeTests
{
    private static readonly DateTimeZone Sydney = DateTimeZoneProviders.Tzdb["Australia/Sydney"];
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];
    private static readonly DateTimeZone Santiago = DateTimeZoneProviders.Tzdb["America/Santiago"];
    private static readonly Guid Diary = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly LocalDate June2 = new(2026, 6, 2);

    private static SlotRules Rules(DateTimeZone zone, Instant now, int notice, int horizon = 60, int duration = 30) =>
        new(zone, now, 30, notice, horizon, Duration.FromMinutes(duration), Duration.Zero);

    /// <summary>Rules whose notice ends exactly at <paramref name="noticeEnds"/>: now is <paramref name="notice"/> minutes before it.</summary>
    private static SlotRules NoticeEndingAt(DateTimeZone zone, Instant noticeEnds, int notice = 60, int horizon = 60, int duration = 30) =>
        Rules(zone, noticeEnds - Duration.FromMinutes(notice), notice, horizon, duration);

    private static OnlineBlock Block(int fromHour, int fromMinute, int toHour, int toMinute) =>
        new(new LocalTime(fromHour, fromMinute), new LocalTime(toHour, toMinute));

    private static DiaryDay Day(LocalDate date, params OnlineBlock[] blocks) => new(Diary, date, blocks);

    private static Instant Sydney2June(int hour, int minute) => June2.At(new LocalTime(hour, minute)).InZoneStrictly(Sydney).ToInstant();

    private static Instant Utc(int y, int mo, int d, int h, int mi) => Instant.FromUtc(y, mo, d, h, mi);

    [Fact]
    public void A_notice_that_ends_inside_a_block_leaves_it_open_even_when_no_start_of_the_service_fits()
    {
        var day = Day(June2, Block(9, 0, 12, 0));
        var rules = NoticeEndingAt(Sydney, Sydney2June(10, 0), notice: 120, duration: 180);

        Assert.True(SlotMaths.OpenAfterNotice(rules, day));
        Assert.Empty(SlotMaths.Candidates(rules, June2, day.Blocks)); // the hours are there, only too short
    }

    [Fact]
    public void A_notice_that_ends_before_a_block_leaves_it_open()
    {
        Assert.True(SlotMaths.OpenAfterNotice(NoticeEndingAt(Sydney, Sydney2June(7, 0)), Day(June2, Block(9, 0, 12, 0))));
        Assert.True(SlotMaths.OpenAfterNotice(NoticeEndingAt(Sydney, Sydney2June(9, 0)), Day(June2, Block(9, 0, 12, 0)))); // at its start
    }

    [Fact]
    public void A_notice_that_ends_after_the_block_closes_it_but_not_a_later_block_of_the_day()
    {
        var rules = NoticeEndingAt(Sydney, Sydney2June(13, 0));

        Assert.False(SlotMaths.OpenAfterNotice(rules, Day(June2, Block(9, 0, 12, 0))));
        Assert.True(SlotMaths.OpenAfterNotice(rules, Day(June2, Block(9, 0, 12, 0), Block(14, 0, 17, 0))));
        Assert.False(SlotMaths.OpenAfterNotice(rules, Day(June2)));
    }

    [Fact]
    public void A_block_ends_before_its_end_time_so_a_notice_that_ends_exactly_then_closes_it()
    {
        var day = Day(June2, Block(9, 0, 12, 0));

        Assert.False(SlotMaths.OpenAfterNotice(NoticeEndingAt(Sydney, Sydney2June(12, 0)), day));
        Assert.True(SlotMaths.OpenAfterNotice(NoticeEndingAt(Sydney, Sydney2June(12, 0) - Duration.FromSeconds(1)), day));
    }

    [Fact]
    public void With_no_notice_a_block_is_open_until_its_end()
    {
        var day = Day(June2, Block(9, 0, 12, 0));

        Assert.True(SlotMaths.OpenAfterNotice(Rules(Sydney, Sydney2June(8, 0), notice: 0), day));
        Assert.True(SlotMaths.OpenAfterNotice(Rules(Sydney, Sydney2June(11, 59), notice: 0), day));
        Assert.False(SlotMaths.OpenAfterNotice(Rules(Sydney, Sydney2June(12, 0), notice: 0), day));
    }

    [Fact]
    public void A_block_to_midnight_runs_until_the_next_date_begins()
    {
        var day = Day(June2, OnlineBlock.FromClock(TimeSpan.FromHours(22), TimeSpan.FromDays(1)));
        var midnight = June2.PlusDays(1).AtStartOfDayInZone(Sydney).ToInstant();

        Assert.True(SlotMaths.OpenAfterNotice(NoticeEndingAt(Sydney, midnight - Duration.FromMinutes(1)), day));
        Assert.False(SlotMaths.OpenAfterNotice(NoticeEndingAt(Sydney, midnight), day));
    }

    [Fact]
    public void A_block_whose_end_is_not_after_its_start_is_no_hours()
    {
        var rules = Rules(Sydney, Sydney2June(6, 0), notice: 0);

        Assert.False(SlotMaths.OpenAfterNotice(rules, Day(June2, Block(12, 0, 9, 0))));
        Assert.False(SlotMaths.OpenAfterNotice(rules, Day(June2, Block(10, 0, 10, 0))));
    }

    [Fact]
    public void Only_dates_from_today_to_the_last_bookable_date_count()
    {
        var rules = Rules(Sydney, Sydney2June(8, 0), notice: 0, horizon: 3);
        var wholeDay = OnlineBlock.FromClock(TimeSpan.Zero, TimeSpan.FromDays(1));

        Assert.False(SlotMaths.OpenAfterNotice(rules, Day(June2.PlusDays(-1), wholeDay)));
        Assert.True(SlotMaths.OpenAfterNotice(rules, Day(June2, wholeDay)));
        Assert.True(SlotMaths.OpenAfterNotice(rules, Day(June2.PlusDays(3), wholeDay)));
        Assert.False(SlotMaths.OpenAfterNotice(rules, Day(June2.PlusDays(4), wholeDay)));
    }

    [Fact]
    public void A_notice_longer_than_the_horizon_leaves_no_day_open()
    {
        var wholeDay = OnlineBlock.FromClock(TimeSpan.Zero, TimeSpan.FromDays(1));
        var tooLong = Rules(Sydney, Sydney2June(8, 0), notice: 5 * 24 * 60, horizon: 3);
        var justInside = Rules(Sydney, Sydney2June(8, 0), notice: 3 * 24 * 60, horizon: 3);

        for (var date = June2; date <= tooLong.LastBookableDate; date = date.PlusDays(1))
        {
            Assert.False(SlotMaths.OpenAfterNotice(tooLong, Day(date, wholeDay)));
        }

        // Three days of notice end on the last bookable date's morning: only that date is open.
        Assert.False(SlotMaths.OpenAfterNotice(justInside, Day(June2.PlusDays(2), wholeDay)));
        Assert.True(SlotMaths.OpenAfterNotice(justInside, Day(June2.PlusDays(3), wholeDay)));
    }

    [Fact]
    public void London_spring_forward_ends_a_block_at_its_summer_time_end()
    {
        // 2026-03-29: at 01:00 GMT the clocks go to 02:00 BST.
        var date = new LocalDate(2026, 3, 29);
        var day = Day(date, Block(0, 0, 3, 0));

        // 03:00 BST is 02:00 UTC (not 03:00, the morning's offset).
        Assert.True(SlotMaths.OpenAfterNotice(NoticeEndingAt(London, Utc(2026, 3, 29, 1, 59)), day));
        Assert.False(SlotMaths.OpenAfterNotice(NoticeEndingAt(London, Utc(2026, 3, 29, 2, 0)), day));
    }

    [Fact]
    public void London_spring_forward_a_block_ending_in_the_missing_hour_keeps_its_length()
    {
        // 01:30 does not exist on 2026-03-29: the block 00:00–01:30 ends 90 minutes after it starts, at 02:30 BST (01:30 UTC).
        var day = Day(new LocalDate(2026, 3, 29), Block(0, 0, 1, 30));

        Assert.True(SlotMaths.OpenAfterNotice(NoticeEndingAt(London, Utc(2026, 3, 29, 1, 29)), day));
        Assert.False(SlotMaths.OpenAfterNotice(NoticeEndingAt(London, Utc(2026, 3, 29, 1, 30)), day));
    }

    [Fact]
    public void London_fall_back_a_block_ending_in_the_repeated_hour_runs_to_its_second_pass_as_the_slots_do()
    {
        // 2026-10-25: at 02:00 BST the clocks go back to 01:00 GMT; 01:00–01:59 happens at 00:00–00:59 and 01:00–01:59 UTC.
        var date = new LocalDate(2026, 10, 25);
        var day = Day(date, Block(0, 0, 1, 30));
        var secondPass = Utc(2026, 10, 25, 1, 0); // 01:00 GMT

        var rules = NoticeEndingAt(London, secondPass);
        Assert.True(SlotMaths.OpenAfterNotice(rules, day));
        Assert.Equal([secondPass], SlotMaths.Candidates(rules, date, day.Blocks)); // 01:00 GMT–01:30 GMT is offered
        Assert.False(SlotMaths.OpenAfterNotice(NoticeEndingAt(London, Utc(2026, 10, 25, 1, 30)), day));
    }

    [Fact]
    public void London_fall_back_a_block_ending_where_the_repeated_hour_begins_ends_when_the_clock_first_reaches_it()
    {
        // The block 00:00–01:00 holds no repeated time: it ends at 01:00 BST (00:00 UTC), not an hour later at 01:00 GMT.
        var day = Day(new LocalDate(2026, 10, 25), Block(0, 0, 1, 0));

        Assert.True(SlotMaths.OpenAfterNotice(NoticeEndingAt(London, Utc(2026, 10, 24, 23, 59)), day));
        Assert.False(SlotMaths.OpenAfterNotice(NoticeEndingAt(London, Utc(2026, 10, 25, 0, 0)), day));
        Assert.False(SlotMaths.OpenAfterNotice(NoticeEndingAt(London, Utc(2026, 10, 25, 0, 30)), day));
    }

    [Fact]
    public void New_York_spring_forward_counts_the_notice_in_elapsed_time_and_ends_the_block_at_its_daylight_time_end()
    {
        // 2026-03-08: at 02:00 EST the clocks go to 03:00 EDT; the day has 23 hours.
        var date = new LocalDate(2026, 3, 8);
        var now = new LocalDateTime(2026, 3, 7, 12, 0).InZoneStrictly(NewYork).ToInstant(); // noon EST, 17:00 UTC

        // A day's notice ends at 13:00 EDT on the 8th (17:00 UTC), not at noon by the clock.
        var rules = Rules(NewYork, now, notice: 24 * 60);
        Assert.False(SlotMaths.OpenAfterNotice(rules, Day(date, Block(9, 0, 13, 0))));
        Assert.True(SlotMaths.OpenAfterNotice(rules, Day(date, Block(9, 0, 13, 1))));

        // 17:00 EDT is 21:00 UTC.
        var afternoon = Day(date, Block(9, 0, 17, 0));
        Assert.True(SlotMaths.OpenAfterNotice(NoticeEndingAt(NewYork, Utc(2026, 3, 8, 20, 59)), afternoon));
        Assert.False(SlotMaths.OpenAfterNotice(NoticeEndingAt(NewYork, Utc(2026, 3, 8, 21, 0)), afternoon));
    }

    [Fact]
    public void New_York_fall_back_counts_the_notice_in_elapsed_time_and_ends_blocks_by_the_same_rules_as_London()
    {
        // 2026-11-01: at 02:00 EDT the clocks go back to 01:00 EST; the day has 25 hours.
        var date = new LocalDate(2026, 11, 1);
        var now = new LocalDateTime(2026, 10, 31, 12, 0).InZoneStrictly(NewYork).ToInstant(); // noon EDT, 16:00 UTC

        // A day's notice ends at 11:00 EST on the 1st (16:00 UTC), not at noon by the clock.
        var rules = Rules(NewYork, now, notice: 24 * 60);
        Assert.False(SlotMaths.OpenAfterNotice(rules, Day(date, Block(9, 0, 11, 0))));
        Assert.True(SlotMaths.OpenAfterNotice(rules, Day(date, Block(9, 0, 11, 30))));

        // 01:30 happens at 05:30 and 06:30 UTC: the block to 01:30 runs to the second; the block to 01:00 ends at the first 01:00 (05:00 UTC).
        Assert.True(SlotMaths.OpenAfterNotice(NoticeEndingAt(NewYork, Utc(2026, 11, 1, 6, 29)), Day(date, Block(0, 0, 1, 30))));
        Assert.False(SlotMaths.OpenAfterNotice(NoticeEndingAt(NewYork, Utc(2026, 11, 1, 6, 30)), Day(date, Block(0, 0, 1, 30))));
        Assert.True(SlotMaths.OpenAfterNotice(NoticeEndingAt(NewYork, Utc(2026, 11, 1, 4, 59)), Day(date, Block(0, 0, 1, 0))));
        Assert.False(SlotMaths.OpenAfterNotice(NoticeEndingAt(NewYork, Utc(2026, 11, 1, 5, 0)), Day(date, Block(0, 0, 1, 0))));
    }

    [Fact]
    public void Santiago_an_evening_block_to_23_00_on_the_night_midnight_turns_back_ends_at_the_first_23_00()
    {
        // 2026-04-05 00:00 -03 becomes 2026-04-04 23:00 -04: 23:00–23:59 on the 4th happens twice (02:00 and 03:00 UTC).
        var date = new LocalDate(2026, 4, 4);
        Assert.Equal(2, Santiago.MapLocal(date.At(new LocalTime(23, 0))).Count);
        var day = Day(date, Block(18, 0, 23, 0));

        Assert.True(SlotMaths.OpenAfterNotice(NoticeEndingAt(Santiago, Utc(2026, 4, 5, 1, 59)), day));
        Assert.False(SlotMaths.OpenAfterNotice(NoticeEndingAt(Santiago, Utc(2026, 4, 5, 2, 0)), day));
    }
}
