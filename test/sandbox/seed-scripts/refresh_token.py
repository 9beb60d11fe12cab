import requests

CLIENT_ID = ''
CLIENT_SECRET = ''

def get_token(refresh_token):
    # make our request using our new code, and some other client details
        response = requests.post('{{EXIST_URL}}/oauth2/access_token', {
            'grant_type':'refresh_token',
            'refresh_token': refresh_token,
            'client_id': CLIENT_ID,
            'client_secret': CLIENT_SECRET,
        })
        # parse the response into json
        data = response.json()
        print("\nNEW TOKENS")
        print('Access token: ', data['access_token'])
        print('Refresh token:', data['refresh_token'])


refresh_token = input("Refresh token: ")
get_token(refresh_token)
