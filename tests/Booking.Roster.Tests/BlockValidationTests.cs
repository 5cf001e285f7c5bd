using Booking.Roster.Features.WeeklyRoster;

namespace Booking.Roster.Tests;

public sealed class BlockValidationTests
{
    private static List<string> Fields(params BlockInput?[] blocks) =>
        BlockValidation.Check(blocks, weekly: true).Select(f => f.PropertyName).ToList();

    [Fact]
    public void A_clean_week_passes_and_touching_blocks_are_fine()
    {
        Assert.Empty(Fields(
            new BlockInput("monday", "09:00", "12:00", true),
            new BlockInput("monday", "12:00", "17:00", false),
            new BlockInput("tuesday", "09:00", "12:00", true)));
    }

    [Fact]
    public void Every_bad_field_is_named_by_its_json_path()
    {
        var fields = Fields(
            new BlockInput("funday", "9am", "17:00", null),
            new BlockInput("monday", "10:00", "09:00", true),
            new BlockInput("monday", "10:00", "24:01", true));

        Assert.Equal(["blocks[0].weekday", "blocks[0].start", "blocks[0].bookableOnline", "blocks[1].end", "blocks[2].end"], fields);
    }

    [Fact]
    public void An_overlap_names_the_later_block_and_the_one_it_overlaps()
    {
        var failures = BlockValidation.Check(
            [new BlockInput("monday", "09:00", "12:00", true), new BlockInput("tuesday", "09:00", "12:00", true), new BlockInput("monday", "11:00", "13:00", true)],
            weekly: true);

        var failure = Assert.Single(failures);
        Assert.Equal("blocks[2]", failure.PropertyName);
        // The other block in words (it is shown next to the refused row), not by its JSON path.
        Assert.Equal("Overlaps the block Monday 09:00–12:00.", failure.ErrorMessage);
    }

    [Fact]
    public void A_block_inside_a_long_earlier_block_overlaps_it()
    {
        var failures = BlockValidation.Check(
            [new BlockInput("friday", "08:00", "18:00", true), new BlockInput("friday", "09:00", "10:00", true), new BlockInput("friday", "11:00", "12:00", true)],
            weekly: true);

        Assert.Equal(["blocks[1]", "blocks[2]"], failures.Select(f => f.PropertyName));
    }

    [Fact]
    public void A_missing_list_is_an_error_and_an_empty_one_is_not()
    {
        Assert.Equal("blocks", Assert.Single(BlockValidation.Check(null, weekly: true)).PropertyName);
        Assert.Empty(BlockValidation.Check([], weekly: true));
    }
}
