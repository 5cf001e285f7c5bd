// Build targets: `dotnet tool restore && dotnet cake --target=CI`
var target = Argument("target", "Test");
var configuration = Argument("configuration", "Debug");

Task("Build")
    .Does(() =>
{
    DotNetBuild("Booking.sln", new DotNetBuildSettings
    {
        Configuration = configuration,
        MSBuildSettings = new DotNetMSBuildSettings().TreatAllWarningsAs(MSBuildTreatAllWarningsAs.Error),
    });
});

Task("Test")
    .IsDependentOn("Build")
    .Does(() =>
{
    DotNetTest("Booking.sln", new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        Loggers = new[] { "trx" },
        ResultsDirectory = "artifacts/test-results",
    });
});

Task("CI")
    .Does(() =>
{
    var exit = StartProcess("bash", new ProcessSettings { Arguments = ".ci/run" });
    if (exit != 0)
    {
        throw new Exception($".ci/run failed with {exit}");
    }
});

RunTarget(target);
