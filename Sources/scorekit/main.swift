import ScoreKit
print(ScoreKitVersion.string)
