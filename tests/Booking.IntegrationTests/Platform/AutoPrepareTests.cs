using Booking.Host.Infrastructure;
using Npgsql;

namespace Booking.IntegrationTests.Platform;

public sealed class AutoPrepareTests
{
    [Fact]
    public void The_app_connection_prepares_frequent_statements_unless_the_operator_chose_otherwise()
    {
        var added = new NpgsqlConnectionStringBuilder(DatabaseSetup.WithAutoPrepare("Host=db;Database=booking;Username=app"));
        Assert.Equal(64, added.MaxAutoPrepare);
        Assert.Equal(2, added.AutoPrepareMinUsages);
        Assert.Equal("db", added.Host);

        Assert.Equal("Host=db;Max Auto Prepare=0", DatabaseSetup.WithAutoPrepare("Host=db;Max Auto Prepare=0"));
        Assert.Equal("Host=db;MaxAutoPrepare=10", DatabaseSetup.WithAutoPrepare("Host=db;MaxAutoPrepare=10"));
    }
}
